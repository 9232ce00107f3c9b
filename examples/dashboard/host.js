// How the Patchworks dashboard mounts the services list. The list's routes live under
// /dashboard/services; its assets come from its public URL; the dashboard hands it the token.
const assets = document.querySelector('meta[name="services-list-assets"]').content;
const { mountServicesList } = await import(`${assets}embed.js`);

const BASE_PATH = "/dashboard/services";
const root = document.getElementById("services-root");
const toggle = document.getElementById("toggle-mount");
const status = document.getElementById("host-status");

// What the dashboard knows: its signed-in user's token. This example gets one from the demo
// server; a real dashboard has its own. `refuse` lets you see what happens when it has none,
// `delayMs` what happens when it is slow.
const hostDemo = {
  tokenRequests: 0,
  refuse: false,
  delayMs: 0,
  handle: null,
  listenersBeforeMount: null,
};
window.hostDemo = hostDemo;

async function getToken() {
  hostDemo.tokenRequests += 1;
  if (hostDemo.delayMs) {
    await new Promise((done) => setTimeout(done, hostDemo.delayMs));
  }
  if (hostDemo.refuse) {
    throw new Error("the dashboard is signed out");
  }
  const response = await fetch("/api/demo/users", { headers: { Accept: "application/json" } });
  if (!response.ok) {
    throw new Error(`no demo users (${response.status}); start the server with --demo`);
  }
  const { items } = await response.json();
  return items.find((u) => u.name === "Ada Morgan").token;
}

async function mount() {
  hostDemo.listenersBeforeMount ??= window.hostProbe.listeners();
  hostDemo.handle = await mountServicesList(root, { basePath: BASE_PATH, getToken });
  toggle.textContent = "Unmount the services list";
  status.textContent = "";
}

function unmount() {
  hostDemo.handle.unmount();
  hostDemo.handle = null;
  toggle.textContent = "Mount the services list";
  status.textContent = "The services list is unmounted.";
}

toggle.addEventListener("click", () => (hostDemo.handle ? unmount() : mount()));

if (!location.pathname.startsWith(BASE_PATH)) {
  history.replaceState(null, "", BASE_PATH);
}
try {
  await mount();
} catch (error) {
  status.textContent = `The services list could not start: ${error.message}`;
}
