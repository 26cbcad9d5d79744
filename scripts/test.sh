#!/usr/bin/env bash
# Runs every test of the solution. The current tests need only the .NET SDK; servers and peers
# that later tests need (RabbitMQ, DuckDB via npm) are installed here when those tests arrive.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet test DigitalEconomy.sln -c Release --nologo "$@"
