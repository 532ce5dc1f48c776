Set WshShell = CreateObject("WScript.Shell")
WshShell.Run """" & WScript.ScriptFullName & "\..\..\python\python.exe"" -m sample_app.main", 0, False
