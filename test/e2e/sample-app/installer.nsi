; The Windows installer of the sample app: build-nsis passes VERSION, DIST (the portable tree) and OUTFILE.
Unicode true
Target amd64-unicode
!ifndef VERSION
  !define VERSION 0.0.0
!endif
Name "Sample App ${VERSION}"
OutFile "${OUTFILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\SampleApp"
Section "!Core (required)" SecCore
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; Replace, not merge: files the new version no longer ships must not survive an upgrade.
  RMDir /r "$INSTDIR\app"
  RMDir /r "$INSTDIR\python"
  RMDir /r "$INSTDIR\scripts"
  File /r "${DIST}\*.*"
SectionEnd
