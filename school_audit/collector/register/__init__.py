"""The establishment register: who is expected to return in each cycle.

Schools come from the DfE "Get Information About Schools" all-establishments CSV as published;
early-years providers from a documented CSV (see docs/la-guide.md). Parsing is pure (`gias`,
`early_years`); `store` applies a parsed register to the database in one transaction.
"""
