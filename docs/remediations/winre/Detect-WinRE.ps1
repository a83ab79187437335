# Detect-WinRE.ps1: detection script of the "Autopilot Reset Console - WinRE" remediation package
# (docs/remediations/winre/README.md). Runs `reagentc /info` and prints one line of compact JSON, well under the
# 2,048 characters Intune keeps of a script's output:
#   {"tool":"arc-winre","v":1,"Windows RE status":"Enabled"|"Disabled"|"Unknown","Windows RE location":"<path or empty>","error":"<text or empty>"}
# Exit code 1 means "WinRE is disabled" (Intune then runs Remediate-WinRE.ps1); 0 means enabled; 2 means the state
# could not be read (no remediation: Intune runs the remediation only after exit 1).
# Read only: it changes nothing on the device.

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
    # reagentc's labels are localized: on a non-English Windows this reports Unknown (exit 2), never a false Disabled.
    $lines = & $reagentc /info 2>&1 | ForEach-Object { "$_" }
    $statusLine = $lines | Where-Object { $_ -match 'Windows RE status' } | Select-Object -First 1
    $locationLine = $lines | Where-Object { $_ -match 'Windows RE location' } | Select-Object -First 1
    $location = ''
    if ($locationLine) { $location = ($locationLine -split ':', 2)[1].Trim() }
    if ($statusLine -match 'Enabled') {
        Write-WinREStatus -State 'Enabled' -Location $location -ErrorText ''
        exit 0
    }
    if ($statusLine -match 'Disabled') {
        Write-WinREStatus -State 'Disabled' -Location $location -ErrorText ''
        exit 1
    }
    Write-WinREStatus -State 'Unknown' -Location $location -ErrorText 'reagentc /info printed no Windows RE status line'
    exit 2
}
catch {
    Write-WinREStatus -State 'Unknown' -Location '' -ErrorText ("$($_.Exception.Message)".Substring(0, [Math]::Min(300, "$($_.Exception.Message)".Length)))
    exit 2
}
