/* lockgen's search box: the default theme's own script (no library).
   Reads the index lockgen writes to search/ (see src/search.rs): files that
   call lockgenIndex(kind, n, data), loaded as <script> elements so the search
   works from file:// as well as over HTTP. Also marks the words of `?q=` on
   the page a result opened. */
(function () {
  'use strict';
  var me = document.currentScript;
  if (!me || !window.URL) return;
  var root = new URL('.', me.src).href;
  var onDisk = location.protocol === 'file:';
  var WORD = /[\p{L}\p{N}]+/gu;
  var SHOWN = 10;
  var CLASS_WEIGHT = [0, 1, 4, 16];

  // ---- text, as src/search/text.rs folds it ----------------------------------
  function fold(s) { return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase(); }
  function len(s) { return Array.from(s).length; }
  // The query's words of two or more characters; a model number with a
  // one-character part ("KS-8") as one word, as the index also holds models.
  function terms(q) {
    var seen = {}, out = [];
    function add(w) { if (len(w) >= 2 && len(w) <= 40 && !seen[w]) { seen[w] = 1; out.push(w); } }
    fold(q).split(/\s+/).forEach(function (chunk) {
      var ws = chunk.match(WORD) || [];
      if (ws.length > 1 && ws.some(function (w) { return len(w) === 1; })) add(ws.join(''));
      else ws.forEach(add);
    });
    return out.slice(0, 8);
  }
  function shardOf(word, shards) {
    var key = Array.from(word).slice(0, 2).join('');
    var bytes = new TextEncoder().encode(key), h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) { h ^= bytes[i]; h = Math.imul(h, 0x01000193) >>> 0; }
    return h % Math.max(1, shards);
  }
  // Whether a and b are one insertion, deletion, substitution or swap apart.
  function oneEdit(a, b) {
    a = Array.from(a); b = Array.from(b);
    if (Math.abs(a.length - b.length) > 1) return false;
    var i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    var ra = a.slice(i + 1).join(''), rb = b.slice(i + 1).join('');
    if (a.length === b.length) {
      return ra === rb || (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2).join('') === b.slice(i + 2).join(''));
    }
    return a.length > b.length ? a.slice(i + 1).join('') === b.slice(i).join('') : a.slice(i).join('') === b.slice(i + 1).join('');
  }
  // How well index word w answers query term t: 1 exact, .8 prefix, .6 one typo (5+ letters).
  function match(w, t) {
    if (w === t) return 1;
    if (w.lastIndexOf(t, 0) === 0) return 0.8;
    if (len(t) >= 5 && oneEdit(w, t)) return 0.6;
    return 0;
  }
  function matchesAny(word, ts) {
    var f = fold(word);
    return ts.some(function (t) { return match(f, t) > 0; });
  }

  // ---- loading the index -----------------------------------------------------
  var loaded = {}, waiting = {};
  window.lockgenIndex = function (kind, n, data) {
    var key = kind + n;
    loaded[key] = data;
    (waiting[key] || []).forEach(function (w) { w[0](data); });
    delete waiting[key];
  };
  function load(kind, n) {
    var key = kind + n;
    if (key in loaded) return Promise.resolve(loaded[key]);
    return new Promise(function (ok, fail) {
      if (waiting[key]) { waiting[key].push([ok, fail]); return; }
      waiting[key] = [[ok, fail]];
      var file = 'search/' + kind + (kind === 'm' ? '' : '-' + n) + '.js';
      // An encrypted handbook (crypt.js): the index files are decrypted, then run.
      if (window.lockgenCrypt && window.lockgenCrypt.active()) {
        window.lockgenCrypt.script(file).catch(function (e) {
          (waiting[key] || []).forEach(function (w) { w[1](e); });
          delete waiting[key];
        });
        return;
      }
      var s = document.createElement('script');
      s.src = root + file;
      s.onerror = function () {
        (waiting[key] || []).forEach(function (w) { w[1](new Error('cannot load ' + s.src)); });
        delete waiting[key];
      };
      document.head.appendChild(s);
    });
  }

  // ---- searching ---------------------------------------------------------------
  function decode(list, each) {
    var doc = 0;
    for (var i = 0; i < list.length; i++) { doc += list[i] >> 2; each(doc, list[i] & 3); }
  }
  function filterSet(m, i, value) {
    return load('f', i).then(function (lists) {
      var at = m.values[i].indexOf(value), set = new Set(), doc = 0;
      (lists[at] || []).forEach(function (d) { doc += d; set.add(doc); });
      return set;
    });
  }
  // Pages matching every term (and every chosen filter), best first: [{doc, score}].
  function search(m, ts, chosen) {
    var shards = ts.map(function (t) { return load('t', shardOf(t, m.shards)); });
    var filters = chosen.map(function (c) { return filterSet(m, c[0], c[1]); });
    return Promise.all([Promise.all(shards), Promise.all(filters)]).then(function (got) {
      var scores = null;
      ts.forEach(function (t, k) {
        var shard = got[0][k], mine = new Map();
        Object.keys(shard).forEach(function (w) {
          var f = match(w, t);
          if (!f) return;
          decode(shard[w], function (doc, cls) {
            var s = CLASS_WEIGHT[cls] * f;
            if (!(mine.get(doc) >= s)) mine.set(doc, s);
          });
        });
        if (scores === null) scores = mine;
        else {
          var both = new Map();
          scores.forEach(function (s, doc) { if (mine.has(doc)) both.set(doc, s + mine.get(doc)); });
          scores = both;
        }
      });
      if (scores === null) {
        scores = new Map();
        if (got[1].length) got[1][0].forEach(function (doc) { scores.set(doc, 0); });
      }
      var hits = [];
      scores.forEach(function (s, doc) {
        if (got[1].every(function (set) { return set.has(doc); })) hits.push({ doc: doc, score: s });
      });
      hits.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
      return hits;
    });
  }
  function rows(m, hits) {
    var chunks = hits.map(function (h) { return load('d', Math.floor(h.doc / m.chunk)); });
    return Promise.all(chunks).then(function (got) {
      return hits.map(function (h, i) { return got[i][h.doc % m.chunk]; });
    });
  }

  // ---- showing results -----------------------------------------------------------
  // `text` with the words that match `ts` in <mark>, appended to `el`.
  function marked(el, text, ts) {
    var last = 0;
    text.replace(WORD, function (w, at) {
      if (!matchesAny(w, ts)) return w;
      el.appendChild(document.createTextNode(text.slice(last, at)));
      var mk = document.createElement('mark');
      mk.textContent = w;
      el.appendChild(mk);
      last = at + w.length;
      return w;
    });
    el.appendChild(document.createTextNode(text.slice(last)));
    return el;
  }
  // The part of a page's text around its first match.
  function snippet(text, ts) {
    var first = -1;
    text.replace(WORD, function (w, at) { if (first < 0 && matchesAny(w, ts)) first = at; return w; });
    if (first < 90) return text.length > 180 ? text.slice(0, 180) + '…' : text;
    var from = text.lastIndexOf(' ', first - 50);
    return '…' + text.slice(from + 1, from + 181) + (from + 181 < text.length ? '…' : '');
  }
  function span(cls, text) {
    var s = document.createElement('span');
    s.className = cls;
    s.textContent = text;
    return s;
  }
  function href(path, q) {
    return root + path + (onDisk ? 'index.html' : '') + '?q=' + encodeURIComponent(q);
  }

  function setUp(form) {
    var input = form.querySelector('input[type=search]');
    var panel = form.querySelector('.search-panel');
    var list = form.querySelector('.search-results');
    var status = form.querySelector('.search-status');
    var selects = Array.prototype.slice.call(form.querySelectorAll('select[data-filter]'));
    var manifest = null, seq = 0, active = -1;
    form.hidden = false;
    var fallback = document.querySelector('.search-fallback');
    if (fallback) fallback.hidden = true;

    function open(yes) {
      panel.hidden = !yes;
      input.setAttribute('aria-expanded', yes ? 'true' : 'false');
    }
    function getManifest() {
      if (manifest) return Promise.resolve(manifest);
      return load('m', 0).then(function (m) {
        manifest = m;
        selects.forEach(function (sel) {
          var i = Number(sel.getAttribute('data-filter'));
          (m.values[i] || []).forEach(function (v) {
            var o = document.createElement('option');
            o.value = v; o.textContent = v;
            sel.appendChild(o);
          });
        });
        return m;
      });
    }
    function setActive(i) {
      var items = list.querySelectorAll('li');
      if (!items.length) return;
      active = (i + items.length) % items.length;
      Array.prototype.forEach.call(items, function (li, k) { li.setAttribute('aria-selected', k === active ? 'true' : 'false'); });
      input.setAttribute('aria-activedescendant', items[active].id);
      items[active].scrollIntoView({ block: 'nearest' });
    }
    function show(q, ts, hits, shown) {
      list.textContent = '';
      active = -1;
      input.removeAttribute('aria-activedescendant');
      shown.forEach(function (r, k) {
        var li = document.createElement('li');
        li.id = 'search-result-' + k;
        li.setAttribute('role', 'option');
        var a = document.createElement('a');
        a.href = href(r[0], q);
        a.tabIndex = -1;
        a.appendChild(marked(span('search-title', ''), r[1], ts));
        if (r[6]) a.appendChild(span('badge badge-sensitive', 'Sensitive'));
        var meta = [r[2], r[3]].filter(Boolean).join(' · ');
        if (meta) a.appendChild(marked(span('search-meta', ''), meta, ts));
        if (r[5]) a.appendChild(marked(span('search-snippet', ''), snippet(r[5], ts), ts));
        li.appendChild(a);
        list.appendChild(li);
      });
      var n = hits.length;
      status.textContent = n === 0 ? 'No pages found.' :
        (n === 1 ? '1 page' : n + ' pages') + (n > shown.length ? ', the first ' + shown.length + ' shown.' : '.');
      form.setAttribute('data-results-for', q);
    }
    function run() {
      var q = input.value, ts = terms(q), mine = ++seq;
      var chosen = selects.filter(function (s) { return s.value; })
        .map(function (s) { return [Number(s.getAttribute('data-filter')), s.value]; });
      open(true);
      if (!ts.length && !chosen.length) {
        list.textContent = '';
        status.textContent = 'Type two or more letters, or choose a filter.';
        form.setAttribute('data-results-for', q);
        return;
      }
      getManifest().then(function (m) {
        return search(m, ts, chosen).then(function (hits) {
          return rows(m, hits.slice(0, SHOWN)).then(function (shown) {
            if (mine === seq) show(q, ts, hits, shown);
          });
        });
      }).catch(function () {
        if (mine !== seq) return;
        list.textContent = '';
        status.textContent = 'The search index did not load. Use the contents page instead.';
      });
    }
    input.addEventListener('input', run);
    input.addEventListener('focus', function () { getManifest().catch(function () {}); if (input.value) run(); });
    selects.forEach(function (s) { s.addEventListener('change', run); });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowDown') { e.preventDefault(); setActive(active + 1); }
      else if (e.key === 'ArrowUp') { e.preventDefault(); setActive(active - 1); }
      else if (e.key === 'Escape') { open(false); }
      else if (e.key === 'Enter') {
        e.preventDefault();
        var items = list.querySelectorAll('li a');
        var a = items[active >= 0 ? active : 0];
        if (a && !(window.lockgenCrypt && window.lockgenCrypt.go(a.getAttribute('href')))) location.href = a.href;
      }
    });
    form.addEventListener('submit', function (e) { e.preventDefault(); });
    document.addEventListener('keydown', function (e) {
      var t = e.target, typing = t && (t.isContentEditable || /^(input|textarea|select)$/i.test(t.tagName));
      if (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) { e.preventDefault(); input.focus(); }
    });
    document.addEventListener('click', function (e) { if (!form.contains(e.target)) open(false); });
  }

  // ---- the words of ?q= marked on the page opened ------------------------------------
  function highlight(q) {
    var ts = terms(q), main = document.querySelector('main');
    if (!ts.length || !main) return;
    var walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT), nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    nodes.forEach(function (node) {
      if (!node.parentNode || /^(script|style|mark)$/i.test(node.parentNode.nodeName)) return;
      var text = node.nodeValue;
      if (!(text.match(WORD) || []).some(function (w) { return matchesAny(w, ts); })) return;
      var frag = marked(document.createDocumentFragment(), text, ts);
      Array.prototype.forEach.call(frag.querySelectorAll('mark'), function (mk) { mk.className = 'search-hit'; });
      node.parentNode.replaceChild(frag, node);
    });
    var first = main.querySelector('mark.search-hit');
    if (first && !location.hash) first.scrollIntoView({ block: 'center' });
  }

  function start() {
    var form = document.querySelector('form.search');
    if (form) setUp(form);
    var q = new URLSearchParams(location.search).get('q');
    if (q) highlight(q);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
