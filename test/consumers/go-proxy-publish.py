"""Publishes a Go module directory to a file-based Go module proxy (GOPROXY=file://<proxy>).

    python3 go-proxy-publish.py <module dir> <version> <proxy dir>

Writes <proxy>/<escaped module path>/@v/{list,<version>.info,<version>.mod,<version>.zip} in the layout of
the GOPROXY protocol, the zip holding every file under `<module path>@<version>/` as `go mod download`
expects. The release publishes the same directory (dist/go/<package>) to the module's Git repository.
"""
import datetime
import json
import os
import re
import sys
import zipfile


def escape(module_path: str) -> str:
    # The proxy protocol spells each upper-case letter as '!' and its lower-case form.
    return re.sub(r"[A-Z]", lambda m: "!" + m.group(0).lower(), module_path)


def main(module_dir: str, version: str, proxy: str) -> None:
    with open(os.path.join(module_dir, "go.mod"), encoding="utf-8") as f:
        go_mod = f.read()
    match = re.search(r"^module\s+(\S+)", go_mod, re.MULTILINE)
    if not match:
        sys.exit(f"no module line in {module_dir}/go.mod")
    module_path = match.group(1)
    if not re.fullmatch(r"v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?", version):
        sys.exit(f"not a Go module version: {version}")

    target = os.path.join(proxy, escape(module_path), "@v")
    os.makedirs(target, exist_ok=True)
    with open(os.path.join(target, f"{version}.mod"), "w", encoding="utf-8") as f:
        f.write(go_mod)
    with open(os.path.join(target, f"{version}.info"), "w", encoding="utf-8") as f:
        now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        json.dump({"Version": version, "Time": now}, f)

    prefix = f"{module_path}@{version}/"
    count = 0
    with zipfile.ZipFile(os.path.join(target, f"{version}.zip"), "w", zipfile.ZIP_DEFLATED) as archive:
        for directory, subdirectories, files in os.walk(module_dir):
            subdirectories.sort()
            for name in sorted(files):
                full = os.path.join(directory, name)
                archive.write(full, prefix + os.path.relpath(full, module_dir).replace(os.sep, "/"))
                count += 1

    list_file = os.path.join(target, "list")
    versions = set()
    if os.path.exists(list_file):
        with open(list_file, encoding="utf-8") as f:
            versions = {line.strip() for line in f if line.strip()}
    versions.add(version)
    with open(list_file, "w", encoding="utf-8") as f:
        f.write("".join(v + "\n" for v in sorted(versions)))
    print(f"go proxy: {module_path}@{version} ({count} files) in {proxy}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
