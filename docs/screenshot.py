"""Screenshot of an HTML report in headless Chromium (Debian's), e.g. the seed report for the README.

    .venv/bin/dedup report seeds/001_2439484a44ef32c6.txt --ref seeds/000_acb89514df95002b.txt \\
        -o reports/seeds.html
    .venv/bin/python docs/screenshot.py reports/seeds.html docs/seed-report.png --click-mt 2
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("html", type=Path)
    ap.add_argument("png", type=Path)
    ap.add_argument("--width", type=int, default=1440)
    ap.add_argument("--height", type=int, default=1350)
    ap.add_argument("--click-mt", type=int, default=None, help="click this MT sentence (0-based) first")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="dedup-shot-") as profile:
        opts = webdriver.ChromeOptions()
        opts.binary_location = "/usr/bin/chromium"
        for a in (
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", "--hide-scrollbars", f"--window-size={args.width},{args.height}",
            f"--user-data-dir={profile}",
        ):  # fmt: skip
            opts.add_argument(a)
        driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=opts)
        try:
            driver.get(args.html.resolve().as_uri())
            if args.click_mt is not None:
                driver.find_element(By.CSS_SELECTOR, f'#mt-text .s[data-s~="{args.click_mt}"]').click()
                driver.execute_script("window.scrollTo(0, 0)")
            args.png.parent.mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(str(args.png))
        finally:
            driver.quit()
    print(args.png)


if __name__ == "__main__":
    main()
