"""The LA's exports: returns and aggregate tables (XLSX, CSV), laid out to read, and the steering
group's printable pack (PDF)."""
