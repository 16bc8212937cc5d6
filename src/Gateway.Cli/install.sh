#!/usr/bin/env bash
# Installs gatewayctl from this checkout as a global .NET tool (in ~/.dotnet/tools), or replaces the one installed.
# Each run packs a version of its own: a tool package of a version NuGet has seen is taken from its cache, so
# re-packing the same version would reinstall the old build.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
version="0.18.0-local.$(date -u +%Y%m%d%H%M%S)"
dotnet pack "$root/src/Gateway.Cli" -c Release -o "$root/.artifacts/gatewayctl" -p:Version="$version" --nologo -v quiet
dotnet tool update --global --add-source "$root/.artifacts/gatewayctl" --version "$version" Liaison.Gatewayctl
