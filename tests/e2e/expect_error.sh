#!/bin/sh
# A command line that must fail the way a user sees it: with the exit code given (README, "Exit
# codes": 2 a bad command line, 1 no book) and an error message matching PATTERN (grep -E).
# Any other failure — another code, a crash, another complaint — fails the test.
# Usage: expect_error.sh CODE PATTERN COMMAND [ARGUMENT...]
code=$1 pattern=$2
shift 2
output=$("$@" 2>&1)
got=$?
printf '%s\n' "$output"
[ "$got" -eq "$code" ] || { echo "FAIL: exit code $got, not $code"; exit 1; }
printf '%s\n' "$output" | grep -Eq -- "$pattern" || { echo "FAIL: no message matching: $pattern"; exit 1; }
