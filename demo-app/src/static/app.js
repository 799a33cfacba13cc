// Reveal control and self-refresh. Values are only ever inserted with textContent.
const revealed = new Set();
let revealAll = false;

function view() {
  return document.body.dataset.view;
}

async function fetchValues() {
  const res = await fetch(`/api/${view()}?reveal=true`, { cache: 'no-store' });
  if (!res.ok) return new Map();
  const data = await res.json();
  return new Map(data.items.map((item) => [item.id, item.value]));
}

async function applyReveals() {
  if (!revealAll && revealed.size === 0) return;
  const values = await fetchValues();
  for (const el of document.querySelectorAll('pre.value[data-id]')) {
    const id = el.dataset.id;
    if ((revealAll || revealed.has(id)) && values.has(id)) {
      el.textContent = values.get(id);
      el.classList.remove('masked');
      const button = document.querySelector(`button.reveal[data-id="${CSS.escape(id)}"]`);
      if (button) button.textContent = 'Hide';
    }
  }
}

async function refresh() {
  const current = document.getElementById('view');
  if (!current) return;
  try {
    const res = await fetch(`/api/${view()}`, { cache: 'no-store' });
    if (!res.ok) return;
    const { digest } = await res.json();
    if (digest === current.dataset.digest) return;
    const page = await fetch(location.pathname, { cache: 'no-store' });
    const doc = new DOMParser().parseFromString(await page.text(), 'text/html');
    const next = doc.getElementById('view');
    if (next) current.replaceWith(document.importNode(next, true));
    await applyReveals();
  } catch {
    // the app may be restarting with new env; try again on the next tick
  }
}

document.addEventListener('click', (event) => {
  const target = event.target;
  if (!(target instanceof HTMLButtonElement)) return;
  if (target.id === 'reveal-all') {
    revealAll = !revealAll;
    target.textContent = revealAll ? 'Hide all' : 'Reveal all';
    if (!revealAll) revealed.clear();
    if (revealAll) void applyReveals();
    else location.reload();
    return;
  }
  if (target.classList.contains('reveal')) {
    const id = target.dataset.id;
    if (revealed.has(id)) {
      revealed.delete(id);
      const el = document.querySelector(`pre.value[data-id="${CSS.escape(id)}"]`);
      if (el) {
        el.textContent = '••••••••';
        el.classList.add('masked');
      }
      target.textContent = 'Reveal';
    } else {
      revealed.add(id);
      void applyReveals();
    }
  }
});

if (view()) setInterval(() => void refresh(), 1500);
