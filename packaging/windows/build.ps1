# Build the Windows installer of Sciatica Tracker (PowerShell, from the project root):
#     powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
# Needs Python 3.11 (py launcher) and Inno Setup 6 (ISCC.exe). NOT run or tested on the Linux
# build machine; see docs/packaging.md.
$ErrorActionPreference = "Stop"
Set-Location (Resolve-Path "$PSScriptRoot\..\..")

$Version = (Select-String -Path domain\__init__.py -Pattern '^__version__ = "(.*)"').Matches[0].Groups[1].Value
$Venv = "build\pkg-venv-win"
$Work = "build\pkg-win"

if (-not (Test-Path "$Venv\Scripts\python.exe")) { py -3.11 -m venv $Venv }
& "$Venv\Scripts\python.exe" -m pip install --quiet --upgrade pip
& "$Venv\Scripts\python.exe" -m pip install --quiet ".[package]"

New-Item -ItemType Directory -Force -Path $Work | Out-Null
& "$Venv\Scripts\python.exe" packaging\render_icons.py --ico "$Work\sciatica-tracker.ico"

$env:SCIATICA_ICO = (Resolve-Path "$Work\sciatica-tracker.ico").Path
& "$Venv\Scripts\pyinstaller.exe" --noconfirm --clean --distpath "$Work\dist" --workpath "$Work\work" `
    packaging\windows\sciatica-windows.spec
& "$Work\dist\sciatica\sciatica.exe" --version

$Iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe"
& $Iscc "/DAppVersion=$Version" "/DBundleDir=$((Resolve-Path "$Work\dist\sciatica").Path)" `
    "/DIconFile=$env:SCIATICA_ICO" "/O$((Resolve-Path .).Path)\dist" packaging\windows\sciatica.iss
Write-Host "built dist\SciaticaTracker-$Version-setup.exe"
