// A job's progress as it happens: the /ws socket when it works, polling GET /jobs/{id} always as the
// safety net (fast while the socket is down, slow while it is up), so progress never freezes.
import { accessToken, api, OfflineError, setAccess } from "./api.js";

export const FINAL = ["completed", "failed", "review"];
const FAST_MS = 1500;
const SLOW_MS = 8000;

export function watchJob(jobId, onUpdate) {
  let stopped = false;
  let socketReady = false;
  let socket = null;
  let timer = null;
  let last = null;
  let retryMs = 1000;

  function update(job) {
    if (stopped) return;
    last = { ...(last || {}), ...job };
    if (FINAL.includes(last.status) && job.live && !job.complete) {
      // A final job:status carries no error or timetable: read the job once before the last word.
      stop();
      api(`/jobs/${jobId}`).then((full) => onUpdate({ ...last, ...full }), () => onUpdate(last));
      return;
    }
    onUpdate(last);
    if (FINAL.includes(last.status)) stop();
  }

  async function poll() {
    timer = null;
    if (stopped) return;
    try {
      update(await api(`/jobs/${jobId}`));
    } catch (error) {
      if (!(error instanceof OfflineError)) onUpdate({ ...(last || {}), pollError: error.message });
    }
    if (!stopped) timer = setTimeout(poll, socketReady ? SLOW_MS : FAST_MS);
  }

  function connect() {
    try {
      socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws");
    } catch (error) {
      return;
    }
    socket.onopen = () => socket.send(JSON.stringify({ type: "auth", token: accessToken() }));
    socket.onmessage = (event) => {
      let message;
      try { message = JSON.parse(event.data); } catch (e) { return; }
      const data = message.data || {};
      if (message.type === "ready") socket.send(JSON.stringify({ type: "subscribe:job", jobId }));
      else if (message.type === "subscribed") socketReady = true;
      else if (data.jobId && data.jobId !== jobId) return;
      else if (message.type === "job:status") update({ status: data.status, stage: data.stage, live: true });
      // The specific events carry what the screen needs (a timetable, an error, a reason).
      else if (message.type === "job:completed") {
        const result = data.result || {};
        update({ status: "completed", stage: "notify", timetableId: result.timetableId,
          confidence: result.confidence, live: true, complete: Boolean(result.timetableId) });
      } else if (message.type === "job:failed") update({ status: "failed", error: data.error, live: true, complete: Boolean(data.error) });
      else if (message.type === "job:hitl_required") update({ status: "review", reason: data.reason, live: true });
    };
    socket.onclose = async (event) => {
      socketReady = false;
      if (stopped) return;
      // Try again later (polling carries on meanwhile); an expired token (4401) is renewed first.
      if (event.code === 4401) await self.TT.refresh().then((token) => token && setAccess(token)).catch(() => {});
      retryMs = Math.min(retryMs * 2, 30000);
      setTimeout(() => { if (!stopped) connect(); }, retryMs);
    };
    socket.onerror = () => { socketReady = false; };
  }

  function stop() {
    stopped = true;
    if (timer) clearTimeout(timer);
    if (socket && socket.readyState <= 1) {
      try {
        if (socket.readyState === 1) socket.send(JSON.stringify({ type: "unsubscribe:job", jobId }));
        socket.close(1000);
      } catch (e) { /* closing anyway */ }
    }
  }

  connect();
  poll();
  return stop;
}
