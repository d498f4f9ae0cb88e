// A token bucket over all clients together: the collector keeps no addresses, so it cannot
// (and does not) limit per client; it bounds its own intake instead.
export class RateLimit {
  #rate;
  #burst;
  #tokens;
  #last;
  #now;

  constructor(perSecond, now = () => performance.now()) {
    this.#rate = perSecond;
    this.#burst = 2 * perSecond;
    this.#tokens = this.#burst;
    this.#now = now;
    this.#last = now();
  }

  take(n) {
    const t = this.#now();
    this.#tokens = Math.min(this.#burst, this.#tokens + (t - this.#last) / 1000 * this.#rate);
    this.#last = t;
    if (this.#tokens < n) return false;
    this.#tokens -= n;
    return true;
  }
}
