"""The chat UI's stylesheet and page script (Gradio 6 takes them at launch, not in Blocks()).

The script only reads and moves what the server rendered: citation clicks, Copy, the question
counter, readable labels for screen readers, the light/dark choice. It never builds answer HTML.
"""

from __future__ import annotations

from .api import MAX_QUESTION_CHARS

HEAD = """<script>
(function () {
  var MAX = __MAX__;
  try { if (localStorage.getItem('na-theme') === 'dark') document.documentElement.dataset.naTheme = 'dark'; }
  catch (e) {}
  function applyTheme() {
    var dark = document.documentElement.dataset.naTheme === 'dark';
    var body = document.body;
    if (body && body.classList.contains('dark') !== dark) body.classList.toggle('dark', dark);
  }
  window.naToggleTheme = function () {
    var dark = document.documentElement.dataset.naTheme !== 'dark';
    document.documentElement.dataset.naTheme = dark ? 'dark' : 'light';
    try { localStorage.setItem('na-theme', dark ? 'dark' : 'light'); } catch (e) {}
    applyTheme();
  };
  var lastAnswer = null;
  document.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a.na-cite');
    if (a) {  // a citation opens its answer's group in the sources panel and brings the quote into view
      e.preventDefault(); e.stopPropagation();
      var card = document.getElementById(a.getAttribute('href').slice(1));
      if (!card) return;
      var group = card.closest('details'); if (group) group.open = true;
      lastAnswer = a.closest('.na-answer');
      card.scrollIntoView({behavior: 'smooth', block: 'center'});
      card.classList.remove('na-flash'); void card.offsetWidth; card.classList.add('na-flash');
      var back = document.getElementById('na-back'); if (back) back.hidden = false;
      return;
    }
    var b = e.target.closest && e.target.closest('#na-back');
    if (b) {
      e.preventDefault(); b.hidden = true;
      if (lastAnswer) lastAnswer.scrollIntoView({behavior: 'smooth', block: 'center'});
      return;
    }
    var c = e.target.closest && e.target.closest('a.na-copy');
    if (c) {  // Copy puts plain text on the clipboard: the answer, then its numbered sources
      e.preventDefault(); e.stopPropagation();
      var plain = c.parentElement && c.parentElement.querySelector('.na-plain');
      var text = plain ? plain.textContent : '';
      var done = function () { c.textContent = 'Copied'; setTimeout(function () { c.textContent = 'Copy'; }, 1500); };
      if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done);
      else { var t = document.createElement('textarea'); t.value = text; document.body.appendChild(t); t.select();
             document.execCommand('copy'); t.remove(); done(); }
    }
  }, true);
  function count(box) {
    var n = box.value.length, el = document.getElementById('na-count');
    if (!el) return;
    var text = n.toLocaleString() + ' / ' + MAX.toLocaleString() + ' characters' +
      (n > MAX ? ': too long to ask, shorten it' : '');
    if (el.textContent !== text) el.textContent = text;  // only real changes: an observer watches the page
    if (el.classList.contains('na-over') !== n > MAX) el.classList.toggle('na-over', n > MAX);
  }
  document.addEventListener('input', function (e) {
    if (e.target.closest && e.target.closest('#na-question')) count(e.target);
  }, true);
  function label() {  // screen readers get each message's text, not its HTML
    document.querySelectorAll('#na-chat [aria-label]').forEach(function (el) {
      var v = el.getAttribute('aria-label');
      if (v && v.indexOf('<') !== -1) {
        var who = /^user/i.test(v) ? 'You: ' : 'Assistant: ';
        var text = (el.innerText || el.textContent || '').replace(/\\s+/g, ' ').trim();
        if (v !== who + text) el.setAttribute('aria-label', who + text);
      }
    });
    var q = document.querySelector('#na-question textarea'); if (q) count(q);
  }
  var queued = false;  // at most once a frame, however fast an answer streams
  new MutationObserver(function () {
    if (queued) return;
    queued = true;
    requestAnimationFrame(function () { queued = false; applyTheme(); label(); });
  })
    .observe(document.documentElement, {subtree: true, childList: true, attributes: true,
                                         attributeFilter: ['aria-label']});
  document.addEventListener('DOMContentLoaded', function () { applyTheme(); label(); });
})();
</script>""".replace("__MAX__", str(MAX_QUESTION_CHARS))

CSS = """
#na-header {align-items: center; border-bottom: 1px solid var(--border-color-primary); padding-bottom: 6px;
  flex-wrap: wrap; gap: 6px;}
.na-brand h1 {font-size: 1.5rem; margin: 0;} .na-brand p {margin: 2px 0 0; color: var(--body-text-color-subdued);}
#na-status {text-align: right; color: var(--body-text-color-subdued); font-size: .9rem;}
#na-theme {max-width: 130px;}
.na-answer .na-text {margin: 0 0 6px;}
.na-short {margin: 0 0 6px; font-size: 1.05rem;}
a.na-cite, span.na-cite {font-size: .78em; font-weight: 600; text-decoration: none; padding: 0 3px;
  border-radius: 4px; background: var(--color-accent-soft); color: var(--color-accent); cursor: pointer;}
.na-meta {font-size: .78rem; color: var(--body-text-color-subdued); margin-top: 4px;}
.na-meta.na-fallback {border-left: 3px solid #d97706; padding-left: 6px;}
.na-standalone {font-size: .8rem; color: var(--body-text-color-subdued); font-style: italic; margin-bottom: 4px;}
.na-error {border-left: 3px solid #dc2626; padding: 2px 8px;}
.na-stopped {border-left: 3px solid #64748b; padding: 2px 8px; font-style: italic;}
.na-abstain {border-left: 3px solid #64748b; padding: 2px 8px;} .na-abstain span {display: block; font-size: .85rem;}
.na-closest summary, .na-removed summary {cursor: pointer; font-size: .8rem; color: var(--body-text-color-subdued);}
.na-closest li {font-size: .85rem; margin: 4px 0;} .na-closest .na-snippet {display: block;}
.na-removed li {font-size: .85rem; margin: 4px 0;} .na-reason {display: block; color: #b45309; font-size: .78rem;}
.na-progress {font-size: .85rem; color: var(--body-text-color-subdued); display: flex; align-items: center; gap: 6px;}
.na-spinner {width: .8em; height: .8em; border: 2px solid var(--border-color-primary);
  border-top-color: var(--color-accent); border-radius: 50%; animation: na-spin .8s linear infinite;}
@keyframes na-spin {to {transform: rotate(360deg);}}
.na-plain {display: none;}
.na-copy {display: inline-block; text-decoration: none; font-size: .75rem; margin-top: 4px; padding: 1px 8px;
  border: 1px solid var(--border-color-primary);
  border-radius: 6px; background: transparent; color: var(--body-text-color-subdued); cursor: pointer;}
#na-count {font-size: .75rem; color: var(--body-text-color-subdued);} #na-count.na-over {color: #dc2626;
  font-weight: 600;}
.na-notice {font-size: .85rem; border-left: 3px solid #d97706; padding: 2px 8px; margin: 4px 0;}
#na-back {position: fixed; right: 12px; bottom: 12px; z-index: 50; padding: 6px 12px; border-radius: 18px;
  border: 1px solid var(--border-color-primary); background: var(--block-background-fill);
  color: var(--body-text-color); box-shadow: 0 2px 8px rgba(0,0,0,.2); cursor: pointer;}
#na-back[hidden] {display: none;}
.na-panel-title {font-size: 1.1rem; margin: 4px 0;}
#na-sources {max-height: 640px; overflow-y: auto;}
.na-sources-empty {color: var(--body-text-color-subdued); padding: 12px; border: 1px dashed
  var(--border-color-primary); border-radius: 8px;}
.na-turn > summary {cursor: pointer; font-weight: 600; margin: 6px 0; font-size: .9rem;}
.na-card {border: 1px solid var(--border-color-primary); border-radius: 10px; padding: 10px 12px; margin: 8px 0;
  background: var(--block-background-fill);}
.na-quote {scroll-margin: 80px; margin: 6px 0; display: flex; gap: 8px; flex-wrap: wrap; align-items: baseline;}
.na-quote .na-passage {flex: 1 1 200px;} .na-quote .na-card-id {flex-basis: 100%;}
.na-badge {background: var(--color-accent); color: white; border-radius: 6px; padding: 0 7px; font-size: .8rem;
  font-weight: 700;}
.na-title {font-weight: 600;} .na-card-meta, .na-card-id {font-size: .78rem; color: var(--body-text-color-subdued);}
.na-passage {font-size: .9rem; line-height: 1.5; margin: 0; white-space: pre-wrap; overflow-wrap: anywhere;}
.na-passage mark, .na-full-text mark {background: #fde68a; color: #1f2937; padding: 1px 2px; border-radius: 3px;}
.na-full summary {cursor: pointer; font-size: .85rem; color: var(--color-accent);}
.na-full-text {white-space: pre-wrap; font-size: .88rem; line-height: 1.55; max-height: 420px; overflow-y: auto;
  overflow-wrap: anywhere; padding: 6px; border-top: 1px solid var(--border-color-primary);}
.na-gone {font-size: .8rem; font-style: italic; color: #b45309;}
.na-viewer h3 {margin: 4px 0;}
.na-uploads {list-style: none; padding: 0;} .na-uploads li {margin: 6px 0;}
.na-up-icon {display: inline-block; width: 1.2em; font-weight: 700;} .na-up-skipped .na-up-icon {color: #dc2626;}
.na-up-added .na-up-icon, .na-up-updated .na-up-icon {color: #16a34a;}
.na-up-detail {display: block; margin-left: 1.2em; font-size: .8rem; color: var(--body-text-color-subdued);}
.na-flash {animation: na-flash 1.6s ease-out;}
@keyframes na-flash {0% {box-shadow: 0 0 0 3px var(--color-accent);} 100% {box-shadow: 0 0 0 0 transparent;}}
.na-modes-off {font-size: .8rem; color: var(--body-text-color-subdued);}
#na-articles table {table-layout: auto;}
#na-articles td, #na-articles td * {word-break: normal !important; overflow-wrap: break-word;}
#na-articles th, #na-articles th * {word-break: keep-all !important; overflow-wrap: normal !important;
  white-space: nowrap;}
@media (max-width: 640px) {
  .gradio-container {padding: 0 6px !important;}
  #na-header > * {flex: 1 1 100% !important; min-width: 0 !important;}
  #na-header > #na-theme {flex: 0 0 auto !important;}
  .na-brand h1 {font-size: 1.2rem;} .na-brand p {font-size: .8rem;}
  #na-status {text-align: left;}
  #na-chat {height: 60vh !important;}
  #na-sources {max-height: none;}
  #na-articles {font-size: .8rem;}
}
"""
