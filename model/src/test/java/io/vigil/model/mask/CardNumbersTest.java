package io.vigil.model.mask;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CardNumbersTest {

    private final MaskCounts counts = new MaskCounts();
    private final Masker masker = new Masker(MaskingPolicy.DEFAULTS);

    private String mask(String s) {
        return masker.text(s, counts);
    }

    @Test
    void keepsTheFirstSixAndLastFourDigitsOfEachBrand() {
        assertThat(mask("visa 4111111111111111")).isEqualTo("visa 411111******1111");
        assertThat(mask("mc 5555555555554444 mc2 2223003122003222")).isEqualTo("mc 555555******4444 mc2 222300******3222");
        assertThat(mask("amex 378282246310005")).isEqualTo("amex 378282*****0005");
        assertThat(mask("discover 6011111111111117, unionpay 6250941006528599"))
                .isEqualTo("discover 601111******1117, unionpay 625094******8599");
        assertThat(mask("diners 30569309025904")).isEqualTo("diners 305693****5904");
        assertThat(mask("jcb 3530111333300000")).isEqualTo("jcb 353011******0000");
        assertThat(counts.get(MaskKind.CARD)).isEqualTo(8);
    }

    @Test
    void thirteenAndNineteenDigitsAreTheBounds() {
        assertThat(mask("4222222222222")).isEqualTo("422222***2222");
        assertThat(mask("4000600000000000000")).isEqualTo("400060*********0000");
        // 12 digits, 20 digits: never cards, whatever Luhn says
        assertThat(mask("422222222220 40006000000000000000")).isEqualTo("422222222220 40006000000000000000");
    }

    @Test
    void formEncodedSeparatorsAreSeparators() {
        assertThat(mask("POST /pay card=4111+1111+1111+1111&exp=12%2F29"))
                .isEqualTo("POST /pay card=4111+11**+****+1111&exp=12%2F29");
        assertThat(mask("GET /pay?card=4111%201111%201111%201111 HTTP/1.1"))
                .isEqualTo("GET /pay?card=4111%2011**%20****%201111 HTTP/1.1");
        assertThat(counts.get(MaskKind.CARD)).isEqualTo(2);
    }

    @Test
    void compactTimestampsAreNotCards() {
        // each of these 14-digit date-times passes Luhn
        String ldap = "whenChanged: 20240115101105Z pwdLastSet 20240115101105.0Z";
        String wmi = "InstallDate=20240115101105.000000+060 LastBootUpTime 20240115101105";
        assertThat(mask(ldap)).isEqualTo(ldap);
        assertThat(mask(wmi)).isEqualTo(wmi);
        // a card next to a timestamp is still found; a 14-digit run that is no date-time is still tried
        assertThat(mask("20240115101105 4111 1111 1111 1111")).isEqualTo("20240115101105 4111 11** **** 1111");
        assertThat(mask("diners 30569309025904")).isEqualTo("diners 305693****5904");
        assertThat(counts.get(MaskKind.CARD)).isEqualTo(2);
    }

    @Test
    void digitsInsideAWindowsSidAreNotCards() {
        // 3361044348-30300822 and 1177238919-682003330 are windows of 13 to 19 digits that pass Luhn
        String sid = "SubjectUserSid: S-1-5-21-3623811015-3361044348-30300822-1013 logon";
        assertThat(mask(sid)).isEqualTo(sid);
        String lower = "sid=s-1-5-21-1004336348-1177238919-682003330-512";
        assertThat(mask(lower)).isEqualTo(lower);
        // a card after a SID, separated by a space, is still a card
        assertThat(mask("S-1-5-21-1-2 4111 1111 1111 1111")).isEqualTo("S-1-5-21-1-2 4111 11** **** 1111");
        assertThat(counts.get(MaskKind.CARD)).isEqualTo(1);
    }

    @Test
    void separatorsStayWhereTheyAre() {
        assertThat(mask("card 4111 1111 1111 1111 exp 12/29")).isEqualTo("card 4111 11** **** 1111 exp 12/29");
        assertThat(mask("card 4111-1111-1111-1111.")).isEqualTo("card 4111-11**-****-1111.");
        assertThat(mask("amex 3782 822463 10005")).isEqualTo("amex 3782 82**** *0005");
    }

    @Test
    void aCardFollowedByMoreNumberGroupsIsStillFound() {
        assertThat(mask("4111 1111 1111 1111 2029")).isEqualTo("4111 11** **** 1111 2029");
    }

    @Test
    void numbersFailingLuhnAreLeftAlone() {
        assertThat(mask("4111111111111112 and 4111 1111 1111 1112")).isEqualTo("4111111111111112 and 4111 1111 1111 1112");
        assertThat(counts.get(MaskKind.CARD)).isZero();
    }

    @Test
    void longerDigitRunsAreNotCards() {
        // 25 digits passing Luhn, and a card's digits inside a longer run
        assertThat(mask("id 4000000000000000000000006")).isEqualTo("id 4000000000000000000000006");
        assertThat(mask("x 94111111111111111")).isEqualTo("x 94111111111111111");
        assertThat(counts.get(MaskKind.CARD)).isZero();
    }

    @Test
    void timestampsIdsAddressesAndPhoneNumbersAreLeftAlone() {
        String text = "ts=1700000000004 at 2026-12-07 20:01:13.123 from 192.168.100.200 and 2001:db8::4111:1111 "
                + "call +1 555-123-4567 or +44 20 7946 0958 sha a4111111111111112f "
                + "pid 4111111 uid 1111111";
        assertThat(mask(text)).isEqualTo(text);
        assertThat(counts.get(MaskKind.CARD)).isZero();
    }

    @Test
    void cardsTouchingLettersAreFound() {
        assertThat(mask("pan4111111111111111java.lang.Error")).isEqualTo("pan411111******1111java.lang.Error");
    }

    @Test
    void cardsInUrlsAndJsonAreFound() {
        assertThat(mask("GET /pay?pan=4111111111111111&cvv=1 HTTP/1.1")).isEqualTo("GET /pay?pan=411111******1111&cvv=1 HTTP/1.1");
        assertThat(mask("{\"card\":\"5555-5555-5555-4444\"}")).isEqualTo("{\"card\":\"5555-55**-****-4444\"}");
    }

    @Test
    void maskingIsIdempotent() {
        String once = mask("4111 1111 1111 1111");
        assertThat(mask(once)).isEqualTo(once);
    }

    @Test
    void costIsLinearOnAMegabyteOfDigits() {
        int n = 1 << 20;
        char[] digits = new char[n];
        java.util.Arrays.fill(digits, '4');
        long[] work = new long[1];
        assertThat(CardNumbers.mask(digits, work)).isZero();
        assertThat(work[0]).isLessThanOrEqualTo(2L * n);

        // the worst case for windows: a megabyte of one-digit groups, every window tried
        char[] groups = new char[n];
        for (int i = 0; i < n; i++) {
            groups[i] = i % 2 == 0 ? '4' : ' ';
        }
        work[0] = 0;
        CardNumbers.mask(groups, work);
        // at most 19 windows of at most 19 digits per group
        assertThat(work[0]).isLessThanOrEqualTo(400L * n);
    }
}
