import sys

from ehrmind_rewards.cli import main

sys.exit(main())
