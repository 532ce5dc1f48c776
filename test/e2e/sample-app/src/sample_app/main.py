from importlib import metadata


def version() -> str:
    try:
        return metadata.version("sample-app")
    except metadata.PackageNotFoundError:
        return "0.0.0"


if __name__ == "__main__":
    print(f"sample-app {version()}")
