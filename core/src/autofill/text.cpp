#include "text.hpp"

#include <algorithm>
#include <cstring>

#include "tables.hpp"

namespace vitrine::autofill {
namespace {

// Decodes one code point at s[i], advancing i; -1 on a malformed sequence.
long decode(std::string_view s, std::size_t& i) {
  const auto c = static_cast<unsigned char>(s[i]);
  int extra = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
  if (extra < 0) return -1;
  long cp = extra == 0 ? c : c & (0x3f >> extra);
  for (int k = 1; k <= extra; ++k) {
    if (i + static_cast<std::size_t>(k) >= s.size()) return -1;
    const auto b = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
    if ((b >> 6) != 2) return -1;
    cp = (cp << 6) | (b & 0x3f);
  }
  static const long kMin[] = {0, 0x80, 0x800, 0x10000};
  if (cp < kMin[extra] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return -1;
  i += static_cast<std::size_t>(extra) + 1;
  return cp;
}

bool dropped(unsigned long cp) {
  if (cp < 0x80) {
    return !((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'));
  }
  return (cp >= 0x2000 && cp <= 0x206f) || (cp >= 0x3000 && cp <= 0x303f) || cp == 0x30fb ||
         cp == 0xa0;
}

const char* fold_of(unsigned long cp) {
  const auto* end = tables::kFold + tables::kFoldCount;
  const auto* it = std::lower_bound(
      tables::kFold, end, cp,
      [](const tables::FoldEntry& e, unsigned long v) { return e.code_point < v; });
  return it != end && it->code_point == cp ? it->folded : nullptr;
}

void append_filtered(std::string_view folded, std::string& out) {
  for (std::size_t i = 0; i < folded.size();) {
    const std::size_t start = i;
    const long cp = decode(folded, i);
    if (cp < 0) return;
    if (dropped(static_cast<unsigned long>(cp))) continue;
    if (cp >= 'A' && cp <= 'Z') {
      out += static_cast<char>(cp - 'A' + 'a');
    } else {
      out.append(folded.substr(start, i - start));
    }
  }
}

bool is_space(long cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xa0 || cp == 0x3000 ||
         (cp >= 0x2000 && cp <= 0x200a);
}

}  // namespace

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    if (decode(s, i) < 0) return false;
  }
  return true;
}

bool clean_text(std::string_view s, std::string& out) {
  out.clear();
  bool pending_space = false;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t start = i;
    const long cp = decode(s, i);
    if (cp < 0) return false;
    if (is_space(cp)) {
      pending_space = !out.empty();
      continue;
    }
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return false;
    if (pending_space) out += ' ';
    pending_space = false;
    out.append(s.substr(start, i - start));
  }
  return true;
}

std::string fold_key(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t start = i;
    const long cp = decode(s, i);
    if (cp < 0) {
      ++i;  // skip a bad byte; callers validate UTF-8 first
      continue;
    }
    const char* f = fold_of(static_cast<unsigned long>(cp));
    append_filtered(f ? std::string_view(f) : s.substr(start, i - start), out);
  }
  return out;
}

std::string digits_of(std::string_view s, bool keep_plus) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    const long cp = decode(s, i);
    if (cp < 0) {
      ++i;
      continue;
    }
    if (cp >= '0' && cp <= '9') out += static_cast<char>(cp);
    if (cp >= 0xff10 && cp <= 0xff19) out += static_cast<char>('0' + (cp - 0xff10));
    if (keep_plus && out.empty() && (cp == '+' || cp == 0xff0b)) out += '+';
  }
  return out;
}

}  // namespace vitrine::autofill
