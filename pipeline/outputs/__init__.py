"""What a conversion writes: JSON, CSV and the workbook (`writers`), the review page and the
`inspect` picture, all from a `Result`."""
