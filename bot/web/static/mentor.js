// Family mentors' search and tell-it-once note. Text is always set with textContent.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const el = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; };
  let options = null;
  const chosen = new Set();

  async function load() {
    options = await (await fetch("/api/mentor/options")).json();
    for (const need of options.needs) {
      const label = el("label"); const box = el("input"); box.type = "checkbox"; box.name = "need"; box.value = need.id;
      label.append(box, " " + need.label); $("needs").append(label);
    }
    for (const area of options.areas) { const o = el("option", area.name); o.value = area.id; $("area").append(o); }
    for (const day of options.days) { const o = el("option", day); o.value = day; $("open_on").append(o); }
    for (const lang of options.languages) { const o = el("option", lang.name); o.value = lang.code; $("language").append(o); }
    for (const [step, spec] of Object.entries(options.note)) {
      const id = "note-" + step; const label = el("label", spec.question); label.htmlFor = id;
      const select = el("select"); select.id = id; select.name = step; select.append(el("option", "Not said"));
      select.options[0].value = "";
      for (const [key, text] of Object.entries(spec.options)) { const o = el("option", text); o.value = key; select.append(o); }
      const row = el("div", undefined, "row"); row.append(label, select); $("note-choices").append(row);
    }
  }

  function card(service) {
    const box = el("article", undefined, "card");
    const title = el("h4", service.name);
    if (service.sample) title.append(el("span", "Sample entry", "tag sample"));
    title.append(el("span", service.local ? "Local" : "National", "tag"));
    const dl = el("dl");
    for (const [label, value] of service.fields) { dl.append(el("dt", label), el("dd", value)); }
    const add = el("label", undefined, "no-print"); const box2 = el("input"); box2.type = "checkbox";
    box2.addEventListener("change", () => { box2.checked ? chosen.add(service.id) : chosen.delete(service.id); });
    add.append(box2, " Add to note");
    box.append(title, dl, add);
    return box;
  }

  async function search(event) {
    event.preventDefault();
    const params = new URLSearchParams();
    for (const [key, value] of new FormData($("search"))) { if (value !== "") params.append(key, value); }
    $("status").textContent = "Searching...";
    const response = await fetch("/api/mentor/search?" + params.toString());
    const data = await response.json();
    $("results").replaceChildren();
    if (!response.ok) { $("status").textContent = data.error; return; }
    let count = 0;
    for (const group of data.results) {
      const section = el("section"); section.append(el("h3", group.label + " - " + data.area));
      if (!group.services.length) section.append(el("p", "No services match these filters."));
      for (const service of group.services) { section.append(card(service)); count += 1; }
      $("results").append(section);
    }
    $("status").textContent = (data.message ? data.message + " " : "") + count + " service(s) found.";
    $("note-maker").hidden = false;
  }

  async function makeNote() {
    const body = { needs: [...new FormData($("search")).getAll("need")], services: [...chosen] };
    for (const select of $("note-choices").querySelectorAll("select")) { if (select.value) body[select.name] = select.value; }
    const data = await (await fetch("/api/mentor/note", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })).json();
    $("note-title").textContent = data.title;
    $("note-lines").replaceChildren(...data.lines.map((line) => el("li", line)));
    $("note-closing").textContent = data.closing;
    $("note").hidden = false;
    $("note").focus();
  }

  function noteText() {
    return [$("note-title").textContent, ...[...$("note-lines").children].map((li) => li.textContent), $("note-closing").textContent].join("\n");
  }

  document.addEventListener("DOMContentLoaded", () => {
    load();
    $("search").addEventListener("submit", search);
    $("make-note").addEventListener("click", makeNote);
    $("note").tabIndex = -1;
    $("copy-note").addEventListener("click", () => navigator.clipboard.writeText(noteText()));
    $("download-note").addEventListener("click", () => {
      const link = el("a"); link.href = URL.createObjectURL(new Blob([noteText()], { type: "text/plain" }));
      link.download = "note-for-the-next-service.txt"; link.click(); URL.revokeObjectURL(link.href);
    });
    $("print-note").addEventListener("click", () => window.print());
  });
})();
