; Inno Setup 6 script: a per-user installer for the School Safeguarding Audit desktop app.
;
; Built on Windows, after the one-folder bundle exists (packaging\build.ps1 does both):
;   iscc /DAppVersion=0.1.0 /DBundleDir=C:\build\dist\school-audit packaging\windows\school-audit.iss
; Optional: /DOutputDir=<folder> (default: two folders up from BundleDir), and to sign
; the installer and uninstaller both /DSign and
;   "/Ssigntool=signtool.exe sign /sha1 <thumbprint> /fd sha256 /tr <timestamp url> /td sha256 $f"
;
; No administrator rights are needed: it installs into %LOCALAPPDATA%\Programs for the user who runs
; it. An administrator can still install for every user with /ALLUSERS (Program Files).
; The user's audits live in %LOCALAPPDATA%\school-audit and are never touched by the installer or
; the uninstaller.

#ifndef AppVersion
  #error Pass the version: /DAppVersion=1.2.3
#endif
#ifndef BundleDir
  #error Pass the PyInstaller bundle folder: /DBundleDir=...\dist\school-audit
#endif
#ifndef OutputDir
  #define OutputDir AddBackslash(BundleDir) + "..\.."
#endif

#define AppName "School Safeguarding Audit"
#define AppExe "school-audit.exe"

[Setup]
; AppId identifies the app for upgrades and uninstall: never change it.
AppId={{596508CE-5F20-4D8F-AEE1-3F67F20AE715}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=school-audit
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableDirPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=commandline dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
SetupIconFile=..\..\resources\school-audit.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
OutputDir={#OutputDir}
OutputBaseFilename=school-audit-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Close a running copy (Restart Manager) before files are replaced; do not restart it.
CloseApplications=yes
RestartApplications=no
#ifdef Sign
SignTool=signtool
SignedUninstaller=yes
#endif

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the library folder whole, so no module of the old version lingers.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "Annual safeguarding self-audit"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#StringChange(AppName, '&', '&&')}}"; Flags: nowait postinstall skipifsilent
