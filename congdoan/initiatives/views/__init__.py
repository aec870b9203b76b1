"""Pages of the initiatives app (namespace "initiatives"): initiatives, programmes, contests."""
