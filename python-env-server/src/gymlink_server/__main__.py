import sys

from gymlink_server.cli import main

sys.exit(main())
