#!/usr/bin/env bash
# Makes `dotnet ulcag-train` and `dotnet ulcag-infer` work in this clone (and installs the Debian
# packages they need at run time, see tools/install-deps.sh):
#   bash tools/setup.sh [extra dotnet pack arguments, e.g. -p:UlcAgGpu=true]
# For every tool in .config/dotnet-tools.json it packs the project whose PackageId is the tool's
# package into artifacts/packages (at the manifest's version), drops a stale copy of that version
# from the NuGet package cache, and restores the tools from artifacts/packages only. A tool whose
# project is not in this tree is skipped with a note. Run it again after changing a CLI's code.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

bash tools/install-deps.sh --runtime

packages="$PWD/artifacts/packages"
nuget_cache="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
mkdir -p "$packages"

# Restore from the local folder alone.
cat > "$packages/nuget.config" <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="ulcag-local" value="$packages" />
  </packageSources>
</configuration>
CONFIG

# Rows of `dotnet tool list --local`: package id, version, command, manifest (after two header lines).
mapfile -t rows < <(dotnet tool list --local | tail -n +3)
ready=()
for row in "${rows[@]}"; do
  read -r id version command _ <<<"$row"
  [ -n "${id:-}" ] || continue
  project=$(grep -lis "<PackageId>$id</PackageId>" src/*/*.csproj | head -n 1 || true)
  if [ -z "$project" ]; then
    echo "setup: skipping $id: no project with that PackageId under src/ in this tree"
    continue
  fi

  echo "setup: packing $project as $id $version"
  dotnet pack "$project" -c Release -o "$packages" -p:PackageVersion="$version" --nologo -v quiet "$@"
  # Same version, new bits: the restore would otherwise keep the previously extracted copy.
  rm -rf "${nuget_cache:?}/$id/$version"
  for rid_package in "$nuget_cache/$id".*; do
    if [ -d "$rid_package/$version" ]; then rm -rf "${rid_package:?}/$version"; fi
  done

  # One manifest per tool: only the tools built here are restored (an absent project's entry would
  # fail the whole restore), and one at a time (restoring a RID-specific tool package together
  # with another tool fails in SDK 10.0.4xx).
  manifest="$packages/manifests/$id/dotnet-tools.json"
  mkdir -p "$(dirname "$manifest")"
  cat > "$manifest" <<MANIFEST
{
  "version": 1,
  "isRoot": true,
  "tools": {
    "$id": { "version": "$version", "commands": ["$command"], "rollForward": false }
  }
}
MANIFEST
  dotnet tool restore --tool-manifest "$manifest" --configfile "$packages/nuget.config"
  ready+=("dotnet ${command#dotnet-}")
done

if [ ${#ready[@]} -eq 0 ]; then
  echo "setup: no tool project found; nothing restored" >&2
  exit 1
fi

echo "setup: ready: $(printf '%s, ' "${ready[@]}" | sed 's/, $//')"
