"""The web page in a real headless browser: type text, submit, and the table shows the
API's numbers.

Needs Debian's `chromium` and `chromium-driver` (.ci/run installs them). Without them the
test is skipped with the reason, except on CI (CI set), where a missing browser fails.
"""

from __future__ import annotations

import json
import os
import shutil

import httpx
import pytest

selenium = pytest.importorskip("selenium", reason="selenium (the test extra) is not installed")

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from tokbench.service.routes.page import STATIC_DIR  # noqa: E402

TEXT = "Tokens cost money: 東京の天気は晴れ。 Привет, мир!"


def _browser_paths() -> tuple[str, str]:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if browser and driver:
        return browser, driver
    reason = (
        "no headless browser: needs Debian's chromium and chromium-driver on PATH "
        f"(found chromium={browser}, chromedriver={driver}); "
        "apt-get install -y chromium chromium-driver"
    )
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the browser test, but there is {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    binary, driver_path = _browser_paths()
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(arg)
    # An explicit driver path: selenium never tries to fetch a driver of its own.
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def _wait_state(driver, *states: str, timeout: float = 90) -> str:
    WebDriverWait(driver, timeout).until(
        lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-state") in states
    )
    return driver.find_element(By.TAG_NAME, "body").get_attribute("data-state")


def _table(driver, table_id: str) -> list[list[str]]:
    rows = driver.find_elements(By.CSS_SELECTOR, f"#{table_id} tbody tr")
    return [[td.text for td in row.find_elements(By.TAG_NAME, "td")] for row in rows]


def test_page_shows_the_same_counts_as_the_api(browser, server_url: str) -> None:
    browser.get(server_url + "/")
    assert _wait_state(browser, "ready") == "ready"
    checked = browser.find_elements(By.CSS_SELECTOR, "#tokenizers input:checked")
    encodings = [box.get_attribute("value") for box in checked]
    assert "o200k_base" in encodings
    browser.find_element(By.ID, "text").send_keys(TEXT)
    browser.find_element(By.ID, "submit").click()
    assert _wait_state(browser, "done", "error") == "done", browser.find_element(
        By.ID, "status"
    ).text

    api = httpx.post(
        f"{server_url}/v1/count", json={"texts": [TEXT], "encodings": encodings}
    ).json()
    shown = {row[0]: int(row[1]) for row in _table(browser, "counts")}
    assert shown == {r["encoding"]: r["total"] for r in api["results"]}
    assert len(shown) == len(encodings)

    # The cost table: the models checked by default, priced by /v1/estimate.
    models = [
        b.get_attribute("value")
        for b in browser.find_elements(By.CSS_SELECTOR, "#models input:checked")
    ]
    assert len(models) >= 3
    priced = httpx.post(
        f"{server_url}/v1/estimate", json={"texts": [TEXT], "models": models, "output_tokens": 0}
    ).json()["results"]
    costs = {row[0]: (int(row[2]), row[4], row[5]) for row in _table(browser, "costs")}
    assert costs == {r["model"]: (r["input_tokens"], r["total"], r["currency"]) for r in priced}
    bars = browser.find_elements(By.CSS_SELECTOR, "#chart .bar")
    assert len(bars) == len(models)


def test_page_compares_languages_for_a_known_parallel_text(browser, server_url: str) -> None:
    sample = json.loads((STATIC_DIR / "parallel.json").read_text(encoding="utf-8"))
    texts = [lang["text"] for lang in sample["languages"]]
    browser.get(server_url + "/")
    assert _wait_state(browser, "ready") == "ready"
    # tokens only: no pricing needed here (unchecked by script: the list scrolls)
    browser.execute_script(
        "document.querySelectorAll('#models input').forEach((b) => { b.checked = false; })"
    )
    browser.find_element(By.ID, "sample").click()
    browser.find_element(By.ID, "submit").click()
    assert _wait_state(browser, "done", "error") == "done", browser.find_element(
        By.ID, "status"
    ).text
    checked = browser.find_elements(By.CSS_SELECTOR, "#tokenizers input:checked")
    first = checked[0].get_attribute("value")
    api = httpx.post(f"{server_url}/v1/count", json={"texts": texts, "encodings": [first]}).json()
    rows = _table(browser, "languages")
    assert len(rows) == len(texts)
    # columns: language, characters, then tokens and ratio to English per tokenizer
    assert [int(r[2]) for r in rows] == api["results"][0]["counts"]
    assert [int(r[1]) for r in rows] == [len(t) for t in texts]
    assert rows[0][3] == "1.00"
