<#
.SYNOPSIS
    Build the Windows bundle of the desktop app, and its installer when Inno Setup 6 is present.

.DESCRIPTION
    Makes a clean virtual environment holding only the app (.[app]) and PyInstaller (anything else
    installed would be swept into the bundle), builds the one-folder bundle, checks that it runs,
    and compiles packaging\windows\school-audit.iss into a per-user installer.

    Output folder (default %TEMP%\school-audit-build, outside the source tree):
        venv\                               the build environment (made afresh each time)
        work\                               PyInstaller's scratch folder
        dist\school-audit\                  the bundle: school-audit.exe (window) and
                                            school-audit-cli.exe (commands, in a console)
        school-audit-VERSION-setup.exe      the installer (when Inno Setup is found)

    To sign, set SCHOOL_AUDIT_SIGN_THUMBPRINT to the SHA-1 thumbprint of a code-signing
    certificate in your certificate store; signtool.exe (Windows SDK) must be on PATH.

.EXAMPLE
    powershell -ExecutionPolicy Bypass -File packaging\build.ps1
.EXAMPLE
    packaging\build.ps1 -Output C:\build\school-audit -Python "C:\Python312\python.exe"
#>
[CmdletBinding()]
param(
    [string]$Output = (Join-Path $env:TEMP "school-audit-build"),
    # The interpreter for the build environment: 3.11 or newer, 64-bit.
    [string]$Python = "py",
    [switch]$NoInstaller
)

$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest

$Source = (Resolve-Path (Join-Path $PSScriptRoot "..")).Path
$TimestampUrl = "http://timestamp.digicert.com"

function Invoke-Native {
    # Run a program and stop the build if it fails (native programs do not throw).
    param([string]$Program, [string[]]$Arguments)
    & $Program @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Program $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

function Find-InnoSetup {
    $onPath = Get-Command "iscc.exe" -ErrorAction SilentlyContinue
    if ($onPath) { return $onPath.Source }
    $candidates = @(
        (Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe"),
        (Join-Path $env:ProgramFiles "Inno Setup 6\ISCC.exe"),
        (Join-Path $env:LOCALAPPDATA "Programs\Inno Setup 6\ISCC.exe")
    )
    return $candidates | Where-Object { $_ -and (Test-Path $_) } | Select-Object -First 1
}

function Set-Signature {
    param([string[]]$Files)
    $thumbprint = $env:SCHOOL_AUDIT_SIGN_THUMBPRINT
    if (-not $thumbprint) { return }
    Invoke-Native "signtool.exe" (@("sign", "/sha1", $thumbprint, "/fd", "sha256", "/tr", $TimestampUrl, "/td", "sha256") + $Files)
}

New-Item -ItemType Directory -Force -Path $Output | Out-Null
$Output = (Resolve-Path $Output).Path
# Compared with a trailing separator: C:\src\school-audit-build is beside the source, not inside it.
if (($Output + "\").StartsWith($Source + "\", [StringComparison]::OrdinalIgnoreCase)) {
    throw "Choose an output folder outside the source tree ($Source)."
}

Write-Host "Making a clean build environment in $Output\venv"
foreach ($folder in "venv", "work", "dist") {
    $path = Join-Path $Output $folder
    if (Test-Path $path) { Remove-Item -Recurse -Force $path }
}
Invoke-Native $Python @("-m", "venv", (Join-Path $Output "venv"))
$VenvPython = Join-Path $Output "venv\Scripts\python.exe"
# "py" takes the newest Python installed, which may be 32-bit or too old: say so before building.
& $VenvPython -c "import struct, sys; sys.exit(0 if sys.version_info >= (3, 11) and struct.calcsize('P') == 8 else 1)"
if ($LASTEXITCODE -ne 0) {
    throw "The build needs 64-bit Python 3.11 or newer; $Python gave $(& $VenvPython --version). Pass -Python with the path of one."
}
Invoke-Native $VenvPython @("-m", "pip", "install", "--quiet", "--upgrade", "pip")
# The app with its dependencies (and nothing else), then PyInstaller.
Invoke-Native $VenvPython @("-m", "pip", "install", "--quiet", "$Source[app]", "pyinstaller>=6,<7")

Write-Host "Building the bundle"
Invoke-Native $VenvPython @(
    "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
    "--distpath", (Join-Path $Output "dist"), "--workpath", (Join-Path $Output "work"),
    (Join-Path $Source "packaging\school-audit.spec")
)

$Bundle = Join-Path $Output "dist\school-audit"
$Cli = Join-Path $Bundle "school-audit-cli.exe"
# "school-audit 1.2.3": checked before indexing (strict mode stops at an index out of range).
$VersionLine = (& $Cli --version | Out-String).Trim()
if ($LASTEXITCODE -ne 0 -or $VersionLine -notmatch "^school-audit (\S+)$") { throw "The bundled program did not start ($VersionLine)." }
$Version = $Matches[1]
Invoke-Native $Cli @("template", "list") | Out-Null
Set-Signature @((Join-Path $Bundle "school-audit.exe"), $Cli)
$Size = (Get-ChildItem -Recurse -File $Bundle | Measure-Object -Sum Length).Sum / 1MB
Write-Host ("Bundle:    {0} ({1:N0} MB), version {2}" -f $Bundle, $Size, $Version)

if ($NoInstaller) { return }
$Iscc = Find-InnoSetup
if (-not $Iscc) {
    Write-Warning "Inno Setup 6 not found (https://jrsoftware.org/isinfo.php): no installer made."
    return
}
$IsccArguments = @("/Q", "/DAppVersion=$Version", "/DBundleDir=$Bundle", "/DOutputDir=$Output")
if ($env:SCHOOL_AUDIT_SIGN_THUMBPRINT) {
    $signCommand = "signtool.exe sign /sha1 $($env:SCHOOL_AUDIT_SIGN_THUMBPRINT) /fd sha256 /tr $TimestampUrl /td sha256 `$f"
    $IsccArguments += @("/DSign", "/Ssigntool=$signCommand")
}
Invoke-Native $Iscc ($IsccArguments + @(Join-Path $Source "packaging\windows\school-audit.iss"))
Write-Host "Installer: $(Join-Path $Output "school-audit-$Version-setup.exe")"
