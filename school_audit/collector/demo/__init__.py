"""A demo county for trying the collector: its register, answers and returns."""
