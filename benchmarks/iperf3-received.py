"""Prints the receiver's Gbit/s (sum_received) of an `iperf3 --json` report; exits 1 if the test failed or the file is
not a report, so the benchmark scripts can retry a server still closing its last test."""
import json
import sys

try:
    report = json.load(open(sys.argv[1]))
except ValueError:
    sys.exit(1)
if "error" in report:
    sys.exit(1)
print("%.2f" % (report["end"]["sum_received"]["bits_per_second"] / 1e9))
