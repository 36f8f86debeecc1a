// The page's only script: fills the choices from the API, then counts and prices the text.
// Everything shown comes from the JSON API; values are inserted as text, never as HTML.
"use strict";

const DEFAULT_TOKENIZERS = ["o200k_base", "cl100k_base", "llama3", "qwen3", "deepseek_v3"];
const DEFAULT_MODELS = ["gpt-4o", "gpt-4o-mini", "claude-sonnet-4-5", "deepseek-chat", "qwen-plus"];

const $ = (id) => document.getElementById(id);

function headers() {
  const h = { "Content-Type": "application/json" };
  const key = $("api-key").value.trim();
  if (key) h["X-API-Key"] = key;
  return h;
}

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: headers(),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const err = data.error || {};
    const e = new Error(err.message || `${method} ${path}: HTTP ${response.status}`);
    e.status = response.status;
    throw e;
  }
  return data;
}

function setStatus(message, isError) {
  $("status").textContent = message;
  $("status").className = isError ? "error" : "";
}

function checkboxes(fieldsetId, items, checked) {
  const box = $(fieldsetId);
  box.querySelectorAll("label, p").forEach((n) => n.remove());
  for (const item of items) {
    const label = document.createElement("label");
    const input = document.createElement("input");
    input.type = "checkbox";
    input.value = item.value;
    input.checked = checked(item);
    label.append(input, " " + item.label);
    if (item.title) label.title = item.title;
    box.append(label);
  }
}

function chosen(fieldsetId) {
  return [...$(fieldsetId).querySelectorAll("input:checked")].map((i) => i.value);
}

function cell(row, value) {
  const td = document.createElement("td");
  td.textContent = value === null || value === undefined ? "–" : String(value);
  row.append(td);
}

function fillRows(tableId, rows) {
  const body = $(tableId).querySelector("tbody");
  body.replaceChildren();
  for (const values of rows) {
    const tr = document.createElement("tr");
    values.forEach((v) => cell(tr, v));
    body.append(tr);
  }
}

function drawChart(results) {
  // Bars are scaled within each currency: amounts in different currencies are not comparable.
  const chart = $("chart");
  chart.replaceChildren();
  const max = {};
  for (const r of results) max[r.currency] = Math.max(max[r.currency] || 0, Number(r.total));
  for (const r of results) {
    const bar = document.createElement("div");
    bar.className = "bar";
    const name = document.createElement("span");
    name.textContent = r.model;
    const fill = document.createElement("span");
    fill.className = "fill";
    const top = max[r.currency];
    fill.style.width = top > 0 ? `${(Number(r.total) / top) * 30}rem` : "0";
    const value = document.createElement("span");
    value.textContent = `${r.total} ${r.currency}`;
    bar.append(name, fill, value);
    chart.append(bar);
  }
}

let parallel = null; // {name, source, languages: [{code, name, text}]}, English first

async function loadParallel() {
  try {
    const r = await fetch("/static/parallel.json");
    if (r.ok) parallel = await r.json();
  } catch (e) {
    parallel = null; // the comparison is optional; the page works without it
  }
}

async function showLanguages(text, encodings) {
  const section = $("language-section");
  const match = parallel && parallel.languages.some((l) => l.text === text.trim());
  section.hidden = !match || !encodings.length;
  if (section.hidden) return;
  const langs = parallel.languages;
  const counted = await api("POST", "/v1/count", { texts: langs.map((l) => l.text), encodings });
  const head = $("languages").querySelector("thead tr");
  head.replaceChildren();
  for (const h of ["language", "characters", ...encodings.flatMap((e) => [e, "× English"])]) {
    const th = document.createElement("th");
    th.textContent = h;
    head.append(th);
  }
  fillRows(
    "languages",
    langs.map((l, i) => [
      `${l.name} (${l.code})`,
      [...l.text].length,
      ...counted.results.flatMap((r) => [r.counts[i], (r.counts[i] / r.counts[0]).toFixed(2)]),
    ]),
  );
  $("language-count").textContent = String(langs.length);
}

async function loadChoices() {
  try {
    const { tokenizers } = await api("GET", "/v1/tokenizers");
    checkboxes(
      "tokenizers",
      tokenizers.map((t) => ({ value: t.name, label: t.name, title: t.used_by })),
      (item) => DEFAULT_TOKENIZERS.includes(item.value),
    );
  } catch (e) {
    setStatus(`Could not list tokenizers: ${e.message}`, true);
  }
  try {
    const { models } = await api("GET", "/v1/models");
    const byName = (item) => DEFAULT_MODELS.includes(item.model);
    checkboxes(
      "models",
      models.map((m) => ({ value: m.id, model: m.model, label: m.id, title: m.tokenizer })),
      byName,
    );
  } catch (e) {
    $("models").querySelector("p").textContent = `Prices unavailable: ${e.message}`;
  }
}

async function submit(event) {
  event.preventDefault();
  document.body.dataset.state = "busy";
  const text = $("text").value;
  const encodings = chosen("tokenizers");
  const models = chosen("models");
  setStatus("Counting…", false);
  try {
    if (encodings.length) {
      const counted = await api("POST", "/v1/count", { texts: [text], encodings });
      const chars = counted.characters;
      fillRows(
        "counts",
        counted.results.map((r) => [r.encoding, r.total, chars ? (r.total / chars).toFixed(3) : "–"]),
      );
    }
    await showLanguages(text, encodings);
    if (models.length) {
      const output_tokens = Number($("output-tokens").value || 0);
      const priced = await api("POST", "/v1/estimate", { texts: [text], models, output_tokens });
      fillRows(
        "costs",
        priced.results.map((r) => [
          r.model, r.tokenizer, r.input_tokens,
          r.exact ? "yes" : `estimate ${r.input_tokens_low}–${r.input_tokens_high}`,
          r.total, r.currency,
          r.energy ? r.energy.wh.central.toPrecision(3) : null,
          r.energy ? r.energy.gco2e.central.toPrecision(3) : null,
        ]),
      );
      drawChart(priced.results);
      const book = priced.price_book;
      const warnings = priced.results.flatMap((r) => r.warnings);
      $("notes").textContent =
        `Prices: book ${book.snapshot} (as of ${book.as_of}). Energy: low–high ranges in the API. ` +
        warnings.join(" ");
    }
    setStatus("Done.", false);
    document.body.dataset.state = "done";
  } catch (e) {
    setStatus(e.message, true);
    document.body.dataset.state = "error";
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("form").addEventListener("submit", submit);
  $("sample").addEventListener("click", () => {
    if (parallel) $("text").value = parallel.languages[0].text;
  });
  Promise.all([loadParallel(), loadChoices()]).then(() => {
    document.body.dataset.state = "ready";
  });
});
