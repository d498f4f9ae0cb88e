window.__scriptStart = performance.now();
