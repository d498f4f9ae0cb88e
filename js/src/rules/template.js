// Text templates: "{firstName|there}, your {topCategory} picks". Plain text in, plain text
// out (the page sets it as textContent): never HTML. A missing value takes the fallback
// after '|', or nothing.
export function render(text, vars) {
  return text.replace(/\{([A-Za-z]+)(?:\|([^{}]*))?\}/g, (_, name, fallback = '') => {
    const value = vars[name];
    return value === undefined || value === null || value === '' ? fallback :
                                                                   String(value).slice(0, 200);
  });
}
