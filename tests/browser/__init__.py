"""Browser tests: the built room in Debian's Chromium, driven by Playwright."""
