package dev.gdkit.core.volgen;

/** Value types of translator options (GlusterFS's {@code GF_OPTION_TYPE_*}, in the same order). */
public enum OptionType {
    ANY, STR, INT, SIZET, PERCENT, PERCENT_OR_SIZET, BOOL, XLATOR, PATH, TIME, DOUBLE,
    INTERNET_ADDRESS, INTERNET_ADDRESS_LIST, PRIORITY_LIST, SIZE_LIST, CLIENT_AUTH_ADDR;

    /** The type for GlusterFS's numeric code; {@link #ANY} for codes out of range. */
    public static OptionType ofCode(int code) {
        OptionType[] all = values();
        return code >= 0 && code < all.length ? all[code] : ANY;
    }
}
