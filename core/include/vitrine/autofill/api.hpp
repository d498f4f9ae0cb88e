// The autofill module's one entry point for the browser: a JSON request, a JSON answer.
// The wasm module (wasm/autofill_abi.cpp) only moves these strings across the boundary.
//   {"op":"normalize","profile":{...}}
//     -> {"ok":true,"profile":{...}} |
//     {"ok":false,"code":"invalid_argument","field":"...","message":"..."}
//   {"op":"values","profile":{...}}   (a profile as normalize returns it)
//     -> {"ok":true,"shipping":{token:value},"billing":{token:value}}: what each field
//        type gets, keyed by autocomplete token (plus "tel-national", "postal-code-1/2", ...)
//   {"op":"matchOption","kind":"country"|"region"|"tel-country-code","country":"JP",
//    "want":"JP-13","options":[["value","text"],...]}
//     -> {"ok":true,"index":n}   (-1 when no option fits)
#pragma once
#include <string>
#include <string_view>

namespace vitrine::autofill {

std::string call(std::string_view request_json);

}  // namespace vitrine::autofill
