// Time between the script tag starting and this point is part of "ready".
window.__scriptStartOffset = performance.now() - window.__scriptStart;
