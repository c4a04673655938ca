/* lockgen's encrypted handbook: the default theme's own script (no library),
   run by the shell page of `lockgen build --private --encrypt` (src/crypt/).
   WebCrypto only: PBKDF2-SHA-256 derives the passphrase's key for each
   audience slot of crypt/keys.js; the one it unwraps (AES-GCM) is the
   audience key, kept in sessionStorage (localStorage with "remember"); it
   opens the audience's manifest, which holds each file's id and key. Files
   are crypt/<id>.js scripts (so file:// works), decrypted with their path as
   associated data. A page is decrypted whole, with its images and styles,
   before it replaces what is shown: a wrong key or a changed byte shows a
   message, never half a page. Moving between pages is a change of #/path. */
(function () {
  'use strict';
  if (window.lockgenCrypt) return;
  var me = document.currentScript;
  var root = new URL('.', me ? me.src : location.href).href;
  var shell = root + 'index.html';
  var enc = new TextEncoder();
  var keys = null, manifest = null, audienceKey = null, storeKey = '';
  var pending = {}, files = {}, blobs = {};
  var shellHTML = document.documentElement.outerHTML;
  var timings = window.lockgenTimings = {};

  // ---- bytes ---------------------------------------------------------------
  function fromB64(s) {
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  function toB64(bytes) {
    var s = '';
    for (var i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(s);
  }
  function unpad(b) {
    var i = b.length - 1;
    while (i >= 0 && b[i] === 0) i--;
    if (i < 0 || b[i] !== 0x80) throw new Error('bad padding');
    return b.subarray(0, i);
  }
  function aesKey(raw) { return crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['decrypt']); }
  function decrypt(key, sealed, aad) {
    return crypto.subtle.decrypt({ name: 'AES-GCM', iv: sealed.subarray(0, 12), additionalData: enc.encode(aad) },
      key, sealed.subarray(12)).then(function (b) { return new Uint8Array(b); });
  }
  function derive(passphrase, slot) {
    return crypto.subtle.importKey('raw', enc.encode(passphrase), 'PBKDF2', false, ['deriveKey']).then(function (base) {
      return crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt: fromB64(slot.salt), iterations: keys.iterations },
        base, { name: 'AES-GCM', length: 256 }, false, ['decrypt']);
    });
  }

  // ---- encrypted files, loaded as <script> elements -------------------------------
  window.lockgenFile = function (id, data) {
    files[id] = data;
    (pending[id] || []).forEach(function (w) { w[0](data); });
    delete pending[id];
  };
  function sealedFile(id) {
    if (files[id]) return Promise.resolve(fromB64(files[id]));
    return new Promise(function (ok, fail) {
      if (pending[id]) { pending[id].push([ok, fail]); return; }
      pending[id] = [[ok, fail]];
      var s = document.createElement('script');
      s.src = root + 'crypt/' + id + '.js';
      s.onerror = function () {
        (pending[id] || []).forEach(function (w) { w[1](new Error('missing file crypt/' + id + '.js')); });
        delete pending[id];
      };
      (document.head || document.documentElement).appendChild(s);
    }).then(function (data) { delete files[id]; return fromB64(data); });
  }
  /* The plain bytes of path `rel` of the audience's build. */
  function plain(rel) {
    var f = manifest.files[rel];
    if (!f) return Promise.reject(new Error('not in this handbook: ' + rel));
    return Promise.all([sealedFile(f[0]), aesKey(fromB64(f[1]))]).then(function (got) {
      return decrypt(got[1], got[0], 'lockgen:file:v1:' + rel).then(unpad, function () {
        throw new Error('the file for ' + rel + ' (crypt/' + f[0] + '.js) was changed or swapped');
      });
    });
  }

  // ---- unlocking -------------------------------------------------------------
  function openManifest(key, id) {
    return aesKey(key).then(function (k) {
      return sealedFile(id).then(function (sealed) { return decrypt(k, sealed, 'lockgen:manifest:v1:' + id); });
    }).then(function (json) {
      manifest = JSON.parse(new TextDecoder().decode(unpad(json)));
      manifest.clearSet = new Set(manifest.clear);
      audienceKey = key;
    });
  }
  function unwrap(passphrase) {
    return Promise.all(keys.audiences.map(function (slot) {
      return derive(passphrase, slot).then(function (kek) {
        return decrypt(kek, fromB64(slot.key), 'lockgen:audience-key:v1').then(function (k) { return [k, slot.manifest]; });
      }).catch(function () { return null; });
    })).then(function (all) { return all.filter(Boolean)[0] || null; });
  }
  function remembered() {
    var s = sessionStorage.getItem(storeKey) || localStorage.getItem(storeKey);
    if (!s) return null;
    try { var v = JSON.parse(s); return [fromB64(v.key), v.manifest]; } catch (e) { return null; }
  }
  function remember(found, always) {
    var v = JSON.stringify({ key: toB64(found[0]), manifest: found[1] });
    sessionStorage.setItem(storeKey, v);
    if (always) localStorage.setItem(storeKey, v);
  }
  function lock() {
    sessionStorage.removeItem(storeKey);
    localStorage.removeItem(storeKey);
    manifest = null; audienceKey = null;
    Object.keys(blobs).forEach(function (k) { URL.revokeObjectURL(blobs[k]); });
    blobs = {};
    location.replace(shell);
    if (location.hash === '' || location.hash === '#') location.reload();
  }

  // ---- pages -----------------------------------------------------------------
  var TYPES = { css: 'text/css', js: 'text/javascript', svg: 'image/svg+xml', png: 'image/png', jpg: 'image/jpeg',
    jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', avif: 'image/avif', pdf: 'application/pdf',
    html: 'text/html', txt: 'text/plain', json: 'application/json', xml: 'application/xml' };
  function typeOf(rel) { return TYPES[(rel.split('.').pop() || '').toLowerCase()] || 'application/octet-stream'; }
  /* The build path an attribute of page `page` points to, or null (outside the site). */
  function target(value, page) {
    // A URL under the folder the shell is in (search.js makes those) is a path of the build.
    if (value && value.lastIndexOf(root, 0) === 0) value = manifest.base + value.slice(root.length);
    if (!value || value.charAt(0) === '#' || /^[a-z][a-z0-9+.-]*:/i.test(value) || value.lastIndexOf('//', 0) === 0) return null;
    var u = value.charAt(0) === '/' ? new URL(value, 'https://lockgen.invalid/')
      : new URL(value, 'https://lockgen.invalid' + manifest.base + page);
    var path = decodeURIComponent(u.pathname);
    if (path.lastIndexOf(manifest.base, 0) !== 0) return null;
    var rel = path.slice(manifest.base.length);
    if (rel === '' || rel.charAt(rel.length - 1) === '/') rel += 'index.html';
    return { rel: rel, hash: u.hash };
  }
  function blobOf(rel) {
    if (blobs[rel]) return Promise.resolve(blobs[rel]);
    return plain(rel).then(function (b) { return (blobs[rel] = URL.createObjectURL(new Blob([b], { type: typeOf(rel) }))); });
  }
  /* Every link and resource of `doc` (page `page`) pointed at the shell's routes, clear files or blobs. */
  function rewrite(doc, page) {
    var jobs = [];
    doc.querySelectorAll('a[href]').forEach(function (a) {
      var t = target(a.getAttribute('href'), page);
      if (!t) return;
      if (manifest.files[t.rel] && /\.html$/.test(t.rel)) a.setAttribute('href', '#/' + t.rel.replace(/index\.html$/, '') + t.hash);
      else if (manifest.clearSet.has(t.rel)) a.setAttribute('href', root + t.rel);
      else if (manifest.files[t.rel]) jobs.push(blobOf(t.rel).then(function (u) { a.setAttribute('href', u); }));
      else a.setAttribute('href', '#/404.html');
    });
    doc.querySelectorAll('[src], link[href]').forEach(function (el) {
      var attr = el.hasAttribute('src') ? 'src' : 'href', t = target(el.getAttribute(attr), page);
      if (!t) return;
      if (manifest.clearSet.has(t.rel)) el.setAttribute(attr, root + t.rel);
      else if (manifest.files[t.rel]) jobs.push(blobOf(t.rel).then(function (u) { el.setAttribute(attr, u); }));
      else el.removeAttribute(attr);
    });
    doc.querySelectorAll('[srcset]').forEach(function (el) { el.removeAttribute('srcset'); });
    return Promise.all(jobs);
  }
  function show(doc) {
    var html = document.importNode(doc.documentElement, true);
    var scripts = html.querySelectorAll('script');
    document.replaceChild(html, document.documentElement);
    scripts.forEach(function (old) {
      var s = document.createElement('script');
      Array.prototype.forEach.call(old.attributes, function (a) { s.setAttribute(a.name, a.value); });
      s.text = old.text;
      old.parentNode.replaceChild(s, old);
    });
    var bar = document.createElement('p');
    bar.className = 'crypt-bar';
    var b = document.createElement('button');
    b.type = 'button'; b.id = 'lockgen-lock-button'; b.textContent = 'Lock';
    b.title = 'Forget the key on this device; the passphrase is asked again';
    b.addEventListener('click', lock);
    bar.appendChild(b);
    document.body.insertBefore(bar, document.body.firstChild);
  }
  function route() {
    var h = decodeURIComponent(location.hash.replace(/^#\/?/, ''));
    var i = h.indexOf('#');
    var path = i < 0 ? h : h.slice(0, i), anchor = i < 0 ? '' : h.slice(i + 1);
    if (path === '' || path.charAt(path.length - 1) === '/') path += 'index.html';
    return { rel: path, anchor: anchor };
  }
  var seq = 0;
  function render() {
    var r = route(), mine = ++seq, t0 = performance.now();
    var rel = manifest.files[r.rel] ? r.rel : (manifest.files['404.html'] ? '404.html' : r.rel);
    var page = rel.replace(/[^/]*$/, '');
    return plain(rel).then(function (bytes) {
      var doc = new DOMParser().parseFromString(new TextDecoder().decode(bytes), 'text/html');
      return rewrite(doc, page).then(function () {
        if (mine !== seq) return;
        show(doc);
        timings.open = performance.now() - t0;
        var at = r.anchor && document.getElementById(r.anchor);
        if (at) at.scrollIntoView(); else window.scrollTo(0, 0);
        document.documentElement.setAttribute('data-lockgen-page', rel);
      });
    }).catch(function (e) { fail('This page cannot be shown: ' + e.message + '.'); });
  }
  /* Back to the shell with a message: nothing of a page stays on screen. */
  function fail(message) {
    showForm();
    var err = document.getElementById('lockgen-error');
    err.textContent = message;
    err.hidden = !message;
  }
  /* The shell's passphrase form, put back (its scripts not run again) if a page replaced it. */
  function showForm() {
    if (document.getElementById('lockgen-unlock') === null) {
      var d = new DOMParser().parseFromString(shellHTML, 'text/html');
      document.replaceChild(document.importNode(d.documentElement, true), document.documentElement);
    }
    var form = document.getElementById('lockgen-unlock');
    form.hidden = false;
    var button = form.querySelector('button');
    button.disabled = false; button.textContent = 'Unlock';
    form.onsubmit = submit;
  }
  function submit(e) {
    e.preventDefault();
    var form = document.getElementById('lockgen-unlock');
    var pass = document.getElementById('lockgen-passphrase').value;
    var always = document.getElementById('lockgen-remember').checked;
    var err = document.getElementById('lockgen-error');
    var button = form.querySelector('button');
    err.hidden = true; button.disabled = true; button.textContent = 'Unlocking…';
    var t0 = performance.now();
    unwrap(pass).then(function (found) {
      if (!found) {
        button.disabled = false; button.textContent = 'Unlock';
        err.textContent = 'Wrong passphrase: it opens no part of this handbook.';
        err.hidden = false;
        return;
      }
      return openManifest(found[0], found[1]).then(function () {
        timings.unlock = performance.now() - t0;
        remember(found, always);
        return render();
      }, function () { fail('The handbook\u2019s files were changed or damaged: nothing is shown.'); });
    });
  }

  // ---- start -----------------------------------------------------------------
  function start() {
    if (!window.crypto || !crypto.subtle) {
      return fail('This browser does not allow decryption here: open the handbook over https or from a file, not plain http.');
    }
    storeKey = 'lockgen-key:' + keys.audiences.map(function (s) { return s.salt; }).join('').slice(0, 48);
    var found = remembered();
    if (!found) return showForm();
    openManifest(found[0], found[1]).then(render, function () {
      sessionStorage.removeItem(storeKey); localStorage.removeItem(storeKey);
      fail('The remembered key no longer opens this handbook: enter the passphrase.');
    });
  }
  window.lockgenKeys = function (k) {
    keys = k;
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
    else start();
  };
  window.addEventListener('hashchange', function () { if (manifest) render(); });
  /* Links the page made after it was shown (search results), and in-page anchors. */
  document.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a[href]');
    if (!a || !manifest || e.defaultPrevented || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey) return;
    var href = a.getAttribute('href');
    if (href.lastIndexOf('#/', 0) === 0) return;
    if (href.charAt(0) === '#') {
      var el = document.getElementById(decodeURIComponent(href.slice(1)));
      if (el) { e.preventDefault(); el.scrollIntoView(); }
      return;
    }
    if (go(href)) e.preventDefault();
  });
  /* Shows the page `href` (as written on the current page) points to, if it is one of the handbook's. */
  function go(href) {
    var t = target(href, route().rel.replace(/[^/]*$/, ''));
    if (!t || !manifest.files[t.rel] || !/\.html$/.test(t.rel)) return false;
    location.hash = '#/' + t.rel.replace(/index\.html$/, '') + t.hash;
    return true;
  }
  /* For search.js: run a script file of the audience's build (the search index). */
  window.lockgenCrypt = {
    script: function (rel) {
      return plain(rel).then(function (b) {
        return new Promise(function (ok, bad) {
          var s = document.createElement('script');
          s.src = URL.createObjectURL(new Blob([b], { type: 'text/javascript' }));
          s.onload = function () { URL.revokeObjectURL(s.src); ok(); };
          s.onerror = bad;
          document.head.appendChild(s);
        });
      });
    },
    go: function (href) { return !!manifest && go(href); },
    active: function () { return !!manifest; }
  };
})();
