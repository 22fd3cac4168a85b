package dev.atmosd.emulator;

/** The small HTML pages a "browser" sees at the verification URL. */
final class DevicePage {
    private DevicePage() {
    }

    static String message(String title, String text) {
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + StsXml.escape(title)
                + "</title></head>\n<body><h1>" + StsXml.escape(title) + "</h1><p>" + StsXml.escape(text)
                + "</p></body></html>\n";
    }
}
