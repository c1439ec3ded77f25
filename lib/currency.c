#include "currency.h"

#include <stdlib.h>
#include <string.h>

#include "err.h"

/*
 * ISO 4217's current codes, as Debian's iso-codes lists them
 * (/usr/share/iso-codes/json/iso_4217.json, which tests/unit/test_text.c
 * compares this table with).  A table rather than that file at run time:
 * a deal's currency must not depend on a data package being installed.
 */
const char *const currency_codes[] = {
	"AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN",
	"BAM", "BBD", "BDT", "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BOV",
	"BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHE", "CHF",
	"CHW", "CLF", "CLP", "CNY", "COP", "COU", "CRC", "CUC", "CUP", "CVE",
	"CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD",
	"FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD",
	"HNL", "HRK", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK",
	"JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD",
	"KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL",
	"MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN",
	"MXV", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR",
	"PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD",
	"RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE",
	"SLL", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS",
	"TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD",
	"USN", "UYI", "UYU", "UYW", "UZS", "VED", "VES", "VND", "VUV", "WST",
	"XAF", "XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XCD", "XDR", "XOF",
	"XPD", "XPF", "XPT", "XSU", "XTS", "XUA", "XXX", "YER", "ZAR", "ZMW",
	"ZWL"
};
const size_t currency_ncodes = sizeof(currency_codes) /
    sizeof(currency_codes[0]);

static int
currency_cmp(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

int
currency_parse(const char *in, const char *what,
    char out[CURRENCY_LEN + 1], char **errp)
{
	size_t i;

	for (i = 0; i < CURRENCY_LEN && in[i] != '\0'; i++) {
		if (!((in[i] >= 'a' && in[i] <= 'z') ||
		    (in[i] >= 'A' && in[i] <= 'Z')))
			break;
		out[i] = in[i] >= 'a' ? (char)(in[i] - 'a' + 'A') : in[i];
	}
	out[i] = '\0';
	if (i != CURRENCY_LEN || in[i] != '\0' ||
	    bsearch(out, currency_codes, currency_ncodes,
	    sizeof(currency_codes[0]), currency_cmp) == NULL)
		return err_set(errp, "%s '%s' is not an ISO 4217 currency "
		    "code (three letters, such as SEK, EUR or USD)", what, in);
	return 0;
}
