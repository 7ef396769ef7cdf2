; Inno Setup 6 script of the Windows installer of Sciatica Tracker.
; Built by packaging\windows\build.ps1, which first builds the PyInstaller bundle
; (packaging\windows\sciatica-windows.spec) and then runs:
;   ISCC.exe /DAppVersion=<version> /DBundleDir=<...\build\pkg-win\dist\sciatica>
;            /DIconFile=<...\sciatica-tracker.ico> /O<...\dist> packaging\windows\sciatica.iss
; NOT built or tested on the Linux build machine; see docs/packaging.md.
; Uninstalling removes the program only: journals (*.sciatica) in the user's data folder stay.

#ifndef AppVersion
  #error Pass /DAppVersion=<version> (domain.__version__)
#endif
#ifndef BundleDir
  #define BundleDir "..\..\build\pkg-win\dist\sciatica"
#endif
#ifndef IconFile
  #define IconFile "..\..\build\pkg-win\sciatica-tracker.ico"
#endif

#define AppName "Sciatica Tracker"
#define ProgId "SciaticaTracker.Journal"

[Setup]
AppId={{6E0C9D2B-5B8E-4E0F-9C39-6A1B2E7F4C11}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Sciatica Tracker maintainers
DefaultDirName={autopf}\Sciatica Tracker
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
OutputBaseFilename=SciaticaTracker-{#AppVersion}-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\SciaticaTracker.exe
Compression=lzma2/max
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; per-user install without admin rights by default; the dialog offers all users
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ChangesAssociations=yes
ChangesEnvironment=yes
WizardStyle=modern

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "addtopath"; Description: "Add the sciatica command to PATH"; GroupDescription: "Command line:"; Flags: unchecked

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\SciaticaTracker.exe"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\SciaticaTracker.exe"; Tasks: desktopicon

[Registry]
; .sciatica -> SciaticaTracker.Journal: double-clicking a journal opens it in the app.
Root: HKA; Subkey: "Software\Classes\.sciatica"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.sciatica"; ValueType: string; ValueName: "Content Type"; ValueData: "application/x-sciatica-journal"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.sciatica\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "Sciatica Tracker journal"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\SciaticaTracker.exe,0"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\SciaticaTracker.exe"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\SciaticaTracker.exe\SupportedTypes"; ValueType: string; ValueName: ".sciatica"; ValueData: ""; Flags: uninsdeletekey
; optional: the console CLI (sciatica.exe) on the user's PATH
Root: HKCU; Subkey: "Environment"; ValueType: expandsz; ValueName: "Path"; ValueData: "{olddata};{app}"; Tasks: addtopath; Check: NeedsAddPath(ExpandConstant('{app}'))

[Run]
Filename: "{app}\SciaticaTracker.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
function NeedsAddPath(Dir: string): Boolean;
var
  Paths: string;
begin
  if not RegQueryStringValue(HKEY_CURRENT_USER, 'Environment', 'Path', Paths) then
  begin
    Result := True;
    exit;
  end;
  Result := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Paths) + ';') = 0;
end;
