// Payment card numbers in text that reaches the engine (privacy.md #13): a search box or a
// badly mapped data layer can carry one, and none may be stored, echoed or sent.
#pragma once
#include <string_view>

namespace vitrine {

// True when text holds a run of 13 to 19 digits, written together or in groups separated by
// single spaces or hyphens ("4242 4242 4242 4242"), that passes the Luhn check: the shape
// of every major card scheme's number (ISO/IEC 7812). A run of more than 19 digits is not
// a card number.
bool contains_card_number(std::string_view text);

}  // namespace vitrine
