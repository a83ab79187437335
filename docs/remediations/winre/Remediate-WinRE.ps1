# Remediate-WinRE.ps1: remediation script of the "Autopilot Reset Console - WinRE" remediation package
# (docs/remediations/winre/README.md). Intune runs it only after Detect-WinRE.ps1 exited 1 (WinRE disabled).
# Runs `reagentc /enable`, then `reagentc /info` again, and prints the same compact JSON as the detection script:
#   {"tool":"arc-winre","v":1,"Windows RE status":"Enabled"|"Disabled"|"Unknown","Windows RE location":"<path or empty>","error":"<text or empty>"}
# Exit code 0 when WinRE is enabled afterwards, 1 when it is still not enabled (Intune reports the remediation failed).
# Intune then runs the detection script once more; its output is what the console reads as "after the remediation".

$ErrorActionPreference = 'Stop'

function Write-WinREStatus {
    param([string]$State, [string]$Location, [string]$ErrorText)
    $status = [ordered]@{
        tool     = 'arc-winre'
        v        = 1
        'Windows RE status'   = $State
        'Windows RE location' = $Location
        error                 = $ErrorText
    }
    $json = $status | ConvertTo-Json -Compress
    if ($json.Length -gt 2000) { $json = $json.Substring(0, 2000) }
    Write-Output $json
}

try {
    $reagentc = Join-Path $env:SystemRoot 'System32\reagentc.exe'
    $enableOutput = (& $reagentc /enable 2>&1 | ForEach-Object { "$_" }) -join ' '
    $lines = & $reagentc /info 2>&1 | ForEach-Object { "$_" }
    $statusLine = $lines | Where-Object { $_ -match 'Windows RE status' } | Select-Object -First 1
    $locationLine = $lines | Where-Object { $_ -match 'Windows RE location' } | Select-Object -First 1
    $location = ''
    if ($locationLine) { $location = ($locationLine -split ':', 2)[1].Trim() }
    if ($statusLine -match 'Enabled') {
        Write-WinREStatus -State 'Enabled' -Location $location -ErrorText ''
        exit 0
    }
    $detail = $enableOutput.Substring(0, [Math]::Min(300, $enableOutput.Length))
    Write-WinREStatus -State 'Disabled' -Location $location -ErrorText "reagentc /enable did not enable WinRE: $detail"
    exit 1
}
catch {
    Write-WinREStatus -State 'Unknown' -Location '' -ErrorText ("$($_.Exception.Message)".Substring(0, [Math]::Min(300, "$($_.Exception.Message)".Length)))
    exit 1
}
