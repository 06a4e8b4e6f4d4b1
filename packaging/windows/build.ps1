# Build the Windows bundle and installer. UNTESTED: written for Windows, which the build machine is not.
#
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
#
# Needs: the project installed in the Python on PATH (or $env:PYTHON) with
# `pip install -e . -r packaging\requirements-build.txt`, and Inno Setup 6 (iscc.exe on PATH).
$ErrorActionPreference = "Stop"
$root = Resolve-Path (Join-Path $PSScriptRoot "..\..")
Set-Location $root
$python = if ($env:PYTHON) { $env:PYTHON } else { "python" }

# One source of truth: the version comes from the package metadata.
$version = & $python -c "from importlib.metadata import version; print(version('persona-workbench'))"
if ($LASTEXITCODE -ne 0) { throw "persona-workbench is not installed in $python" }

& $python -m PyInstaller --noconfirm --distpath dist --workpath build\pyinstaller packaging\persona-workbench.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }

$got = & dist\persona-workbench\persona-workbench.exe --version
if ($got -ne "persona-workbench $version") { throw "the bundle reports '$got', expected 'persona-workbench $version'" }

$bundle = Join-Path $root "dist\persona-workbench"
& iscc "/DAppVersion=$version" "/DBundleDir=$bundle" packaging\windows\persona-workbench.iss
if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed" }
Write-Host "Built dist\persona-workbench-$version-setup.exe"
