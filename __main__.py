import sys

from actionplan.pipeline.cli import main

sys.exit(main())
