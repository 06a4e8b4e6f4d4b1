; Inno Setup 6 script: a per-user (or, if chosen, per-machine) installer for the PyInstaller bundle,
; with the .workbench file association. UNTESTED: it cannot be built on the Linux build machine.
;
; Build it through packaging/windows/build.ps1, which passes the version from the package metadata:
;   iscc /DAppVersion=X.Y.Z /DBundleDir=..\..\dist\persona-workbench packaging\windows\persona-workbench.iss
; Name, id and MIME type below must agree with workbench/__init__.py; tests/packaging checks they do.

#ifndef AppVersion
  #error AppVersion is not defined: build with packaging/windows/build.ps1 (iscc /DAppVersion=X.Y.Z)
#endif
#ifndef BundleDir
  #define BundleDir "..\..\dist\persona-workbench"
#endif
#define AppName "Persona Workbench"
#define AppIdName "persona-workbench"
#define AppExe "persona-workbench.exe"
#define ProgId "PersonaWorkbench.File"
#define MimeType "application/x-persona-workbench"

[Setup]
; A fixed GUID: Windows recognises upgrades and the uninstaller by it. Never change it.
AppId={{48B9451A-84EA-471D-8C79-A654E3445A4A}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Persona Workbench
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
ChangesAssociations=yes
OutputDir=..\..\dist
OutputBaseFilename={#AppIdName}-{#AppVersion}-setup
SetupIconFile=..\icons\persona-workbench.ico
UninstallDisplayIcon={app}\{#AppExe}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "..\icons\workbench-document.ico"; DestDir: "{app}"; Flags: ignoreversion

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; The .workbench file type: extension -> ProgID, the ProgID's name, icon and open command.
; HKA is HKCU for a per-user install and HKLM for a per-machine one.
Root: HKA; Subkey: "Software\Classes\.workbench"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.workbench"; ValueType: string; ValueName: "Content Type"; ValueData: "{#MimeType}"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.workbench\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "{#AppName} file"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\workbench-document.ico"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".workbench"; ValueData: ""

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
