"use strict";
(function () {
  var data = JSON.parse(document.getElementById("quiz-data").textContent);
  var list = document.getElementById("questions");
  var scoreEl = document.getElementById("score");
  var state = {};  // question id -> {card, check, read, done, right}

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  // Accepted forms compare case- and space-insensitively.
  function norm(s) { return String(s).toLowerCase().replace(/\s+/g, " ").trim(); }

  function updateScore() {
    var right = 0, done = 0;
    data.questions.forEach(function (q) { var s = state[q.id]; if (s.done) done++; if (s.right) right++; });
    scoreEl.setAttribute("data-score", String(right));
    scoreEl.textContent = "Score: " + right + " / " + data.questions.length;
    document.getElementById("retry").disabled = done === right;
  }

  function select(choices, placeholder) {
    var s = el("select");
    s.appendChild(el("option", "", placeholder)).value = "";
    choices.forEach(function (c) { s.appendChild(el("option", "", c[1])).value = c[0]; });
    return s;
  }

  function build(q, n) {
    var card = el("section", "q");
    card.setAttribute("data-qid", q.id);
    card.appendChild(el("p", "qhead", (n + 1) + ". " + q.label));
    var body = el("div", "body"), read;
    var name = "q" + n;
    if (q.type === "mcq" || q.type === "true_false") {
      card.appendChild(el("p", "prompt", q.prompt));
      var fs = el("fieldset", "opts"), radios = [];
      q.options.forEach(function (o, i) {
        var lab = el("label"), r = el("input");
        r.type = "radio"; r.name = name; r.value = String(i);
        lab.appendChild(r); lab.appendChild(el("span", "", o));
        fs.appendChild(lab); radios.push(r);
      });
      body.appendChild(fs);
      read = function () {
        var c = radios.filter(function (r) { return r.checked; })[0];
        return c ? Number(c.value) === q.correct : null;
      };
      card._inputs = radios;
    } else if (q.type === "short_answer") {
      card.appendChild(el("p", "prompt", q.prompt));
      var inp = el("input"); inp.type = "text"; inp.setAttribute("aria-label", "Your answer");
      inp.autocomplete = "off";
      body.appendChild(inp);
      read = function () {
        if (!norm(inp.value)) return null;
        return q.accept.some(function (a) { return norm(a) === norm(inp.value); });
      };
      card._inputs = [inp];
    } else if (q.type === "cloze") {
      var p = el("p", "prompt cloze"), blanks = [];
      q.parts.forEach(function (part, i) {
        if (i % 2 === 0) { p.appendChild(document.createTextNode(part)); return; }
        var b = el("input"); b.type = "text"; b.autocomplete = "off";
        b.setAttribute("aria-label", "Blank " + (blanks.length + 1));
        b._answer = part; blanks.push(b); p.appendChild(b);
      });
      card.appendChild(p);
      read = function () {
        if (blanks.some(function (b) { return !norm(b.value); })) return null;
        return blanks.every(function (b) { return norm(b.value) === norm(b._answer); });
      };
      card._inputs = blanks;
    } else if (q.type === "matching" || q.type === "ordering") {
      card.appendChild(el("p", "prompt", q.prompt));
      var sels = [];
      q.rows.forEach(function (row) {
        var r = el("div", "row"), s = select(q.choices, q.type === "ordering" ? "#" : "—");
        s.setAttribute("aria-label", row[0]);
        s._answer = row[1];
        r.appendChild(el("span", "", row[0])); r.appendChild(s);
        body.appendChild(r); sels.push(s);
      });
      read = function () {
        if (sels.some(function (s) { return s.value === ""; })) return null;
        return sels.every(function (s) { return s.value === s._answer; });
      };
      card._inputs = sels;
    }
    card.appendChild(body);
    var check = el("button", "check", "Check"); check.type = "button";
    var msg = el("p", "support");
    card.appendChild(check); card.appendChild(msg);
    var st = state[q.id] = { card: card, check: check, read: read, done: false, right: false, fb: null };
    check.addEventListener("click", function () {
      var r = read();
      if (r === null) { msg.textContent = "Answer every part first."; return; }
      msg.textContent = "";
      st.done = true; st.right = r;
      card._inputs.forEach(function (i) {
        i.disabled = true;
        // mcq: the key and a wrong pick are marked by more than colour alone.
        if (i.type === "radio") {
          var lab = i.parentNode;
          if (Number(i.value) === q.correct) lab.classList.add("key");
          else if (i.checked) lab.classList.add("picked");
        }
      });
      check.disabled = true;
      // Built only now: before an answer the page holds no quote to see.
      st.fb = feedback(q, r); card.appendChild(st.fb);
      updateScore();
    });
    return card;
  }

  function feedback(q, right) {
    var fb = el("div", "fb");
    fb.setAttribute("role", "status");
    fb.appendChild(el("p", "verdict " + (right ? "ok" : "bad"), right ? "Correct." : "Not quite."));
    fb.appendChild(el("p", "", "Answer: " + q.answer));
    fb.appendChild(el("p", "", q.explanation));
    if (q.support) fb.appendChild(el("p", "support", q.support));
    q.citations.forEach(function (c) {
      var bq = el("blockquote");
      bq.appendChild(el("p", "", "\u201c" + c.quote + "\u201d"));
      bq.appendChild(el("cite", "", c.source));
      fb.appendChild(bq);
    });
    return fb;
  }

  function reset(st) {
    st.done = false; st.right = false;
    st.card._inputs.forEach(function (i) {
      i.disabled = false;
      if (i.type === "radio") { i.checked = false; i.parentNode.classList.remove("key", "picked"); }
      else i.value = "";
    });
    st.check.disabled = false;
    if (st.fb) { st.fb.remove(); st.fb = null; }
  }

  data.questions.forEach(function (q, n) { list.appendChild(build(q, n)); });
  document.getElementById("retry").addEventListener("click", function () {
    var first = null;
    data.questions.forEach(function (q) {
      var st = state[q.id], wrong = st.done && !st.right;
      st.card.hidden = !wrong;
      if (wrong) { reset(st); if (!first) first = st.card; }
    });
    document.getElementById("all").hidden = false;
    updateScore();
    if (first) { var f = first.querySelector("input, select"); if (f) f.focus(); }
  });
  document.getElementById("all").addEventListener("click", function (e) {
    data.questions.forEach(function (q) { state[q.id].card.hidden = false; });
    e.target.hidden = true;
  });
  updateScore();
})();
