"""`diff`: what changed between two versions of a plan, and the workbook it writes."""
