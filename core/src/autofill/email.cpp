// E-mail addresses: a plausibility check (what a checkout can verify without sending mail),
// after the WHATWG "valid e-mail address" rule, with internationalized domains allowed.
#include "text.hpp"
#include "vitrine/autofill/normalize.hpp"

namespace vitrine::autofill {

std::optional<std::string> normalize_email(std::string_view text) {
  std::string s;
  if (!clean_text(text, s) || s.size() > 254 || s.find(' ') != std::string::npos) {
    return std::nullopt;
  }
  const auto at = s.rfind('@');
  if (at == std::string::npos || at == 0 || at > 64 || s.find('@') != at) return std::nullopt;
  std::string local = s.substr(0, at), domain = s.substr(at + 1);
  for (unsigned char c : local) {
    const bool ok = c >= 0x80 ||
                    std::string_view("!#$%&'*+/=?^_`{|}~.-").find(static_cast<char>(c)) !=
                        std::string_view::npos ||
                    (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
    if (!ok) return std::nullopt;
  }
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string::npos) {
    return std::nullopt;
  }
  // Domain: dot-separated labels of letters, digits and inner hyphens, at least two labels.
  if (domain.empty() || domain.find('.') == std::string::npos) return std::nullopt;
  std::size_t start = 0;
  while (start <= domain.size()) {
    auto dot = domain.find('.', start);
    if (dot == std::string::npos) dot = domain.size();
    const std::string_view label(domain.data() + start, dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return std::nullopt;
    }
    for (unsigned char c : label) {
      if (!(c >= 0x80 || c == '-' || (c >= '0' && c <= '9') ||
            ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))) {
        return std::nullopt;
      }
    }
    start = dot + 1;
  }
  for (char& c : domain) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return local + "@" + domain;
}

}  // namespace vitrine::autofill
