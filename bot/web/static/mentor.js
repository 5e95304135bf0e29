// Family mentors' search, shortlist and tell-it-once note. Text is always set with textContent.
// The shortlist and the mentor's own line live only in this tab; searches and notes are POSTs.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const el = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; };
  const hidden = (text) => el("span", text, "visually-hidden");
  let options = null;
  let last = null;              // the last search: {body, data}
  const listed = new Map();     // service id -> card data, for every service in the current results
  const ticked = new Set();     // ticked service ids (only those still listed count)
  const dropped = new Set();    // note lines the mentor removed
  let noteWanted = false;       // once made, the note follows every change

  async function load() {
    options = await (await fetch("/api/mentor/options")).json();
    for (const need of options.needs) {
      const label = el("label", undefined, "check"); const box = el("input"); box.type = "checkbox"; box.name = "need"; box.value = need.id;
      label.append(box, el("span", need.label)); $("needs").append(label);
    }
    for (const area of options.areas) { const o = el("option", area.name); o.value = area.id; $("area").append(o); }
    for (const day of options.days) { const o = el("option", day.name); o.value = day.code; $("open_on").append(o); }
    for (const lang of options.languages) { const o = el("option", lang.name); o.value = lang.code; $("language").append(o); }
    for (const [step, spec] of Object.entries(options.note)) {
      const id = "note-" + step; const label = el("label", spec.question); label.htmlFor = id;
      const select = el("select"); select.id = id; select.name = step; select.append(el("option", "Not said"));
      select.options[0].value = "";
      for (const [key, text] of Object.entries(spec.options)) { const o = el("option", text); o.value = key; select.append(o); }
      select.addEventListener("change", () => { dropped.delete(step); refreshNote(); });
      const row = el("div", undefined, "field wide"); row.append(label, select); $("note-choices").append(row);
    }
  }

  function searchBody() {
    const form = new FormData($("search"));
    const body = { needs: form.getAll("need") };
    for (const key of ["area", "postcode", "open_on", "language", "child_age"]) body[key] = (form.get(key) || "").trim();
    for (const key of ["open_now", "free", "self_referral", "pregnant"]) body[key] = form.get(key) === "on";
    return body;
  }

  const OFFLINE = "Couldn't reach the server. Your choices are still here: please try again.";

  async function post(url, body) {
    try {
      const response = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
      return { ok: response.ok, data: await response.json() };
    } catch (error) {
      return { ok: false, data: { error: OFFLINE } };
    }
  }

  function link(href, text, name) { const a = el("a", text); a.href = href; a.setAttribute("aria-label", name); return a; }

  function reportRow(service, keeper) {
    // A prefilled email to the partnership's directory keeper naming the service id and the field.
    const row = el("div", undefined, "row report");
    const id = "wrong-" + service.id; const label = el("label", "Which detail is wrong?"); label.htmlFor = id;
    const select = el("select"); select.id = id;
    select.setAttribute("aria-label", "Which detail is wrong for " + service.name);
    for (const name of ["Not sure", ...service.details.map(([label]) => label)]) select.append(el("option", name));
    const a = el("a", "Report a problem"); a.setAttribute("aria-label", "Report a problem with " + service.name);
    const update = () => {
      const subject = "Directory correction: " + service.name + " (" + service.id + ")";
      const body = "Service: " + service.name + "\nService id: " + service.id + "\nField: " + select.value +
        "\nWhat is wrong:\n\nWhat it should say:\n";
      a.href = "mailto:" + keeper + "?subject=" + encodeURIComponent(subject) + "&body=" + encodeURIComponent(body);
    };
    select.addEventListener("change", update); update();
    row.append(label, select, a);
    return row;
  }

  function card(service, keeper) {
    const box = el("article", undefined, "card"); box.id = "card-" + service.id;
    const title = el("h3", service.name); title.id = "name-" + service.id;
    box.setAttribute("aria-labelledby", title.id);
    const tags = el("p", undefined, "tags");
    tags.append(el("span", service.local ? "Local" : "National", "tag"));
    if (service.sample) tags.append(el("span", "Sample entry", "tag sample"));
    if (service.stale) tags.append(el("span", "Not checked for over 6 months", "tag stale"));
    const why = el("p", service.why, "why");
    const links = el("p", undefined, "links");
    for (const call of service.calls) links.append(link(call.href, "Call " + call.number, "Call " + call.number + ", " + service.name));
    for (const text of service.texts) links.append(link(text.href, "Text " + text.number, "Text " + text.number + ", " + service.name));
    if (service.web) { const a = link(service.web, "Website", "Website of " + service.name); a.rel = "noopener noreferrer"; a.target = "_blank"; links.append(a); }
    const add = el("label", undefined, "check"); const tick = el("input"); tick.type = "checkbox"; tick.value = service.id;
    tick.checked = ticked.has(service.id);
    tick.addEventListener("change", () => { tick.checked ? ticked.add(service.id) : ticked.delete(service.id); showShortlist(); refreshNote(); });
    tick.setAttribute("aria-label", "Add to shortlist: " + service.name);
    add.append(tick, el("span", "Add to shortlist"));
    links.append(add);
    const more = el("details"); const summary = el("summary", "Details"); summary.append(hidden(" of " + service.name));
    const dl = el("dl");
    for (const [label, value] of service.details) dl.append(el("dt", label), el("dd", value));
    more.append(summary, dl);
    if (keeper) more.append(reportRow(service, keeper));
    box.append(title, tags, why, links, more);
    return box;
  }

  function render(group, data, into) {
    for (const service of group.services) { listed.set(service.id, service); into.append(card(service, data.contact && data.contact.directory_email)); }
  }

  async function search(event) {
    event.preventDefault();
    const body = searchBody();
    $("status").textContent = "Searching...";
    const { ok, data } = await post("/api/mentor/search", body);
    if (!ok) { $("status").textContent = data.error; $("status").focus(); return; }
    last = { body, data };
    listed.clear();
    $("results").replaceChildren();
    let count = 0; let more = false;
    for (const group of data.results) {
      const section = el("section"); section.setAttribute("aria-labelledby", "need-" + group.need);
      const heading = el("h2", group.label + " - " + data.area); heading.id = "need-" + group.need;
      section.append(heading);
      if (group.hint) section.append(el("p", group.hint, "hint"));
      const list = el("div"); section.append(list); render(group, data, list);
      if (group.more) section.append(moreButton(group, list));
      count += group.services.length; more = more || group.more;
      $("results").append(section);
    }
    for (const id of [...ticked]) if (!listed.has(id)) ticked.delete(id);
    const found = count + (more ? "+" : "") + " service" + (count === 1 && !more ? "" : "s") + " found";
    $("status").textContent = (data.message ? data.message + " " : "") + found + (data.filters.length ? " (" + data.filters.join(", ") + ")." : ".");
    $("shortlist").hidden = false;
    showShortlist();
    refreshNote();
    $("status").focus();
  }

  function moreButton(group, list) {
    const button = el("button", "Show more"); button.type = "button";
    button.append(hidden(" " + group.label));
    button.addEventListener("click", async () => {
      const start = list.children.length;
      const { ok, data } = await post("/api/mentor/search", { ...last.body, needs: [group.need], start });
      if (!ok) { $("status").textContent = data.error; return; }
      const next = data.results[0]; const first = list.children.length;
      render(next, data, list);
      if (!next.more) button.remove();
      const card = list.children[first]; if (card) { card.tabIndex = -1; card.focus(); }
    });
    return button;
  }

  function shortlist() { return [...ticked].filter((id) => listed.has(id)).map((id) => listed.get(id)); }

  function showShortlist() {
    const items = shortlist();
    $("shortlist-items").replaceChildren(...(items.length ? items.map((s) => el("li", s.name)) : [el("li", "Nothing ticked yet.")]));
  }

  async function makeNote() { noteWanted = true; dropped.clear(); await refreshNote(); $("handout").focus(); }

  async function refreshNote() {
    if (!noteWanted || !last) return;
    const items = shortlist();
    const body = { needs: last.body.needs, services: items.map((s) => s.id), drop: [...dropped] };
    for (const select of $("note-choices").querySelectorAll("select")) if (select.value) body[select.name] = select.value;
    const { ok, data } = await post("/api/mentor/note", body);
    if (!ok) { $("share-status").textContent = data.error; return; }
    const d = last.data;
    $("handout-date").textContent = "Made on " + d.date + ".";
    $("handout-filters").textContent = "Searched for: " + last.body.needs.map((id) => options.needs.find((n) => n.id === id).label).join("; ") +
      " - " + d.area + (d.filters.length ? ". Filters: " + d.filters.join(", ") + "." : ". No filters.");
    if (!items.length) $("handout-services").replaceChildren(el("li", "No services ticked yet."));
    else $("handout-services").replaceChildren(...items.map((s) => {
      const li = el("li"); li.append(el("strong", s.name), el("br"), s.why);
      const ways = [...s.calls.map((c) => "Call " + c.number), ...s.texts.map((t) => "Text " + t.number), ...(s.web ? [s.web] : [])];
      if (ways.length) li.append(el("br"), ways.join(" · "));
      return li;
    }));
    $("note-title").textContent = data.title;
    $("note-lines").replaceChildren(...data.lines.map((line, i) => {
      const li = el("li"); li.append(el("span", line));
      const remove = el("button", data.remove[i].label, "no-print small"); remove.type = "button";
      remove.addEventListener("click", () => { dropped.add(data.remove[i].key); refreshNote().then(() => $("handout").focus()); });
      li.append(" ", remove); return li;
    }));
    const extra = $("note-extra").value.trim();
    if (extra) $("note-lines").append(el("li", extra));
    $("note-closing").textContent = data.closing;
    const c = d.contact;
    $("handout-contact").textContent = c ? "Partnership contact: " + c.name + (c.phone ? ", " + c.phone : "") + (c.hours ? " (" + c.hours + ")" : "") +
      (c.sample ? ". This is sample contact data, not yet checked." : ".") : "";
    $("handout").hidden = false;
  }

  function handoutText() {
    const lines = [$("handout-title").textContent, $("handout-date").textContent, $("handout-filters").textContent, ""];
    for (const li of $("handout-services").children) lines.push("- " + li.innerText.replace(/\n+/g, "\n  "));
    lines.push("", $("note-title").textContent);
    for (const li of $("note-lines").children) lines.push("- " + (li.querySelector("span") || li).textContent);
    lines.push($("note-closing").textContent, "", $("handout-contact").textContent);
    return lines.join("\n").trim() + "\n";
  }

  document.addEventListener("DOMContentLoaded", () => {
    load();
    $("search").addEventListener("submit", search);
    $("make-note").addEventListener("click", makeNote);
    $("note-extra").addEventListener("input", () => refreshNote());
    $("copy-note").addEventListener("click", async () => {
      try { await navigator.clipboard.writeText(handoutText()); $("share-status").textContent = "Copied."; }
      catch (error) { $("share-status").textContent = "Couldn't copy here; use Download instead."; }
    });
    $("download-note").addEventListener("click", () => {
      const a = el("a"); a.href = URL.createObjectURL(new Blob([handoutText()], { type: "text/plain" }));
      a.download = "services-and-note.txt"; document.body.append(a); a.click(); a.remove(); URL.revokeObjectURL(a.href);
      $("share-status").textContent = "Downloaded.";
    });
    $("print-note").addEventListener("click", () => window.print());
  });
})();
