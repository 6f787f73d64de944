"""The pipeline layer: convert() over the stages, the writers, the batch runner and the CLI.

The public names live one level up: `from actionplan import convert`.
"""
