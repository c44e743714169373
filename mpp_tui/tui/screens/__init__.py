"""Full screens: login, counter, daily log."""
