"""The directory in and out: HSDS export, and volunteers and organisations imported from
CSV or XLSX files."""
