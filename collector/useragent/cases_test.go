package useragent

import "strings"

// uaCase is one real-world User-Agent with its expected classification.
type uaCase struct {
	name, ua, secCHUA string
	class             Class
	bot               BotReason
}

// chromeWin is a current desktop Chrome, reused by several tests.
const chromeWin = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"

// uaCases are real User-Agents seen on sites, browsers and bots alike.
var uaCases = []uaCase{
	// The User-Agents of Plausible's Events API tests, with the values it stores.
	{"plausible desktop", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_13_4) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.110 Safari/537.36", "", Class{"Chrome", "70.0", "Mac", "10.13", "Desktop"}, NotBot},
	{"plausible mobile", "Mozilla/5.0 (Linux; Android 6.0; U007 Pro Build/MRA58K; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/44.0.2403.119 Mobile Safari/537.36", "", Class{"Mobile App", "", "Android", "6.0", "Mobile"}, NotBot},
	{"plausible tablet", "Mozilla/5.0 (Linux; U; Android 4.2.2; it-it; Surfing TAB B 9.7 3G Build/JDQ39) AppleWebKit/534.30 (KHTML, like Gecko) Version/4.0 Mobile Safari/534.30", "", Class{"Android Browser", "4.0", "Android", "4.2", "Tablet"}, NotBot},
	{"plausible unknown", "unknown UA", "", Class{"", "", "", "", ""}, NotBot},
	{"readme example", "Mozilla/5.0 ...", "", Class{"", "", "", "", ""}, NotBot},
	{"desktop chrome windows", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36", "", Class{"Chrome", "124.0", "Windows", "10", "Desktop"}, NotBot},
	{"desktop chrome mac", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36", "", Class{"Chrome", "124.0", "Mac", "10.15", "Desktop"}, NotBot},
	{"desktop chrome linux", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36", "", Class{"Chrome", "123.0", "GNU/Linux", "", "Desktop"}, NotBot},
	{"mobile chrome reduced ua", "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36", "", Class{"Chrome", "124.0", "Android", "10", "Mobile"}, NotBot},
	{"mobile chrome pixel", "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36", "", Class{"Chrome", "124.0", "Android", "14", "Mobile"}, NotBot},
	{"android tablet without Mobile token", "Mozilla/5.0 (Linux; Android 13; SM-X200) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36", "", Class{"Chrome", "124.0", "Android", "13", "Tablet"}, NotBot},
	{"chrome ios", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1", "", Class{"Chrome", "124.0", "iOS", "17.4", "Mobile"}, NotBot},
	{"firefox windows", "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0", "", Class{"Firefox", "125.0", "Windows", "10", "Desktop"}, NotBot},
	{"firefox mac", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:125.0) Gecko/20100101 Firefox/125.0", "", Class{"Firefox", "125.0", "Mac", "10.15", "Desktop"}, NotBot},
	{"firefox ubuntu", "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:124.0) Gecko/20100101 Firefox/124.0", "", Class{"Firefox", "124.0", "Ubuntu", "", "Desktop"}, NotBot},
	{"firefox android", "Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0", "", Class{"Firefox", "125.0", "Android", "14", "Mobile"}, NotBot},
	{"firefox ios", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/125.0 Mobile/15E148 Safari/605.1.15", "", Class{"Firefox", "125.0", "iOS", "17.4", "Mobile"}, NotBot},
	{"safari iphone", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1", "", Class{"Safari", "17.2", "iOS", "17.2", "Mobile"}, NotBot},
	{"safari ipad", "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1", "", Class{"Safari", "16.6", "iPadOS", "16.6", "Tablet"}, NotBot},
	{"safari mac", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15", "", Class{"Safari", "17.4", "Mac", "10.15", "Desktop"}, NotBot},
	{"edge windows", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51", "", Class{"Microsoft Edge", "124.0", "Windows", "10", "Desktop"}, NotBot},
	{"edge mac", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.67", "", Class{"Microsoft Edge", "124.0", "Mac", "10.15", "Desktop"}, NotBot},
	{"edge android", "Mozilla/5.0 (Linux; Android 10; HD1913) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36 EdgA/124.0.2478.50", "", Class{"Microsoft Edge", "124.0", "Android", "10", "Mobile"}, NotBot},
	{"samsung internet", "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36", "", Class{"Samsung Browser", "24.0", "Android", "14", "Mobile"}, NotBot},
	{"opera desktop", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 OPR/109.0.0.0", "", Class{"Opera", "109.0", "Windows", "10", "Desktop"}, NotBot},
	{"opera android", "Mozilla/5.0 (Linux; Android 10; VOG-L29) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36 OPR/81.1.4292.78446", "", Class{"Opera", "81.1", "Android", "10", "Mobile"}, NotBot},
	{"android webview", "Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230805.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/124.0.6367.82 Mobile Safari/537.36", "", Class{"Mobile App", "", "Android", "13", "Mobile"}, NotBot},
	{"yandex browser", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 YaBrowser/24.4.0.0 Safari/537.36", "", Class{"Yandex Browser", "24.4", "Windows", "10", "Desktop"}, NotBot},
	{"vivaldi", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Vivaldi/6.7.3329.21", "", Class{"Vivaldi", "6.7", "Windows", "10", "Desktop"}, NotBot},
	{"chromebook", "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36", "", Class{"Chrome", "124.0", "Chrome OS", "14541.0", "Desktop"}, NotBot},
	{"windows 7", "Mozilla/5.0 (Windows NT 6.1; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36", "", Class{"Chrome", "109.0", "Windows", "7", "Desktop"}, NotBot},
	{"ie 11", "Mozilla/5.0 (Windows NT 6.3; Win64; x64; Trident/7.0; rv:11.0) like Gecko", "", Class{"Internet Explorer", "11.0", "Windows", "8.1", "Desktop"}, NotBot},
	{"samsung smart tv", "Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/4.0 Chrome/76.0.3809.146 TV Safari/537.36", "", Class{"Samsung Browser", "4.0", "Tizen", "", "Desktop"}, NotBot},
	{"playstation 5", "Mozilla/5.0 (PlayStation; PlayStation 5/2.26) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.0 Safari/605.1.15", "", Class{"Safari", "13.0", "PlayStation", "", "Desktop"}, NotBot},
	{"xbox", "Mozilla/5.0 (Windows NT 10.0; Win64; x64; Xbox; Xbox One) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.102 Safari/537.36 Edge/18.19041", "", Class{"Microsoft Edge", "18.19041", "Windows", "10", "Desktop"}, NotBot},
	{"nintendo switch", "Mozilla/5.0 (Nintendo Switch; WifiWebAuthApplet) AppleWebKit/606.4 (KHTML, like Gecko) NF/6.0.1.15.4 NintendoBrowser/5.1.0.20393", "", Class{"Nintendo Browser", "5.1", "", "", "Desktop"}, NotBot},
	{"line in-app", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Line/14.6.0", "", Class{"Mobile App", "", "iOS", "17.4", "Mobile"}, NotBot},
	{"facebook in-app", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/21E219 [FBAN/FBIOS;FBAV/460.0.0.36.107;FBBV/589000000;FBDV/iPhone15,3;FBMD/iPhone;FBSN/iOS;FBSV/17.4;FBSS/3;FBCR/;FBID/phone;FBLC/ja_JP;FBOP/80]", "", Class{"Mobile App", "", "iOS", "17.4", "Mobile"}, NotBot},
	{"kindle fire silk", "Mozilla/5.0 (Linux; Android 12; KFTRWI) AppleWebKit/537.36 (KHTML, like Gecko) Silk/124.2.1 like Chrome/124.0.6367.82 Safari/537.36", "", Class{"Mobile Silk", "124.2", "Fire OS", "12", "Tablet"}, NotBot},
	{"googlebot", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "", Class{"", "", "", "", ""}, BotCrawler},
	{"googlebot smartphone", "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "", Class{"", "", "", "", ""}, BotCrawler},
	{"bingbot", "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", "", Class{"", "", "", "", ""}, BotCrawler},
	{"yandexbot", "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)", "", Class{"", "", "", "", ""}, BotCrawler},
	{"gptbot", "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)", "", Class{"", "", "", "", ""}, BotCrawler},
	{"facebook preview", "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", "", Class{"", "", "", "", ""}, BotCrawler},
	{"curl", "curl/8.5.0", "", Class{"", "", "", "", ""}, BotTool},
	{"wget", "Wget/1.21.4", "", Class{"", "", "", "", ""}, BotTool},
	{"python requests", "python-requests/2.31.0", "", Class{"", "", "", "", ""}, BotTool},
	{"go http client", "Go-http-client/1.1", "", Class{"", "", "", "", ""}, BotTool},
	{"postman", "PostmanRuntime/7.37.3", "", Class{"", "", "", "", ""}, BotTool},
	{"axios", "axios/1.6.8", "", Class{"", "", "", "", ""}, BotTool},
	{"headless chrome", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36", "", Class{"", "", "", "", ""}, BotHeadless},
	{"lighthouse", "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse", "", Class{"", "", "", "", ""}, BotHeadless},
	{"phantomjs", "Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) PhantomJS/2.1.1 Safari/538.1", "", Class{"", "", "", "", ""}, BotHeadless},
	{"puppeteer token", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Puppeteer", "", Class{"", "", "", "", ""}, BotHeadless},
	{"playwright token", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Playwright/1.43", "", Class{"", "", "", "", ""}, BotHeadless},
	{"bare mozilla", "Mozilla/5.0", "", Class{"", "", "", "", ""}, NotBot},
	{"garbage", "asdfghjkl qwertyuiop", "", Class{"", "", "", "", ""}, NotBot},
	{"old android browser", "Mozilla/5.0 (Linux; U; Android 4.0.3; ko-kr; LG-L160L Build/IML74K) AppleWebKit/534.30 (KHTML, like Gecko) Version/4.0 Mobile Safari/534.30", "", Class{"Android Browser", "4.0", "Android", "4.0", "Mobile"}, NotBot},
	{"fire tv stick", "Mozilla/5.0 (Linux; Android 9; AFTMM Build/PS7233) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0.5993.144 Mobile Safari/537.36", "", Class{"Chrome", "118.0", "Android", "9", "Desktop"}, NotBot},
	{"windows xp", "Mozilla/5.0 (Windows NT 5.1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/49.0.2623.112 Safari/537.36", "", Class{"Chrome", "49.0", "Windows", "XP", "Desktop"}, NotBot},
	{"instagram in-app", "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1 Instagram 330.0.0.0.0", "", Class{"Mobile App", "", "iOS", "18.0", "Mobile"}, NotBot},
	{"empty", "", "", Class{"", "", "", "", ""}, NotBot},
	{"blank", "   ", "", Class{"", "", "", "", ""}, NotBot},
	{"10 KB", chromeWin + strings.Repeat(" x", 5000), "", Class{"", "", "", "", ""}, NotBot},
	{"control characters", "Mozilla/5.0 (Windows NT 10.0)\x00 Chrome/124.0", "", Class{"", "", "", "", ""}, NotBot},
	{"headless brand in client hints", chromeWin, `"Chromium";v="124", "HeadlessChrome";v="124", "Not-A.Brand";v="99"`, Class{"", "", "", "", ""}, BotHeadless},
	{"brave via client hints", chromeWin, `"Chromium";v="124", "Brave";v="124", "Not-A.Brand";v="99"`, Class{"Brave", "124.0", "Windows", "10", "Desktop"}, NotBot},
	{"chrome client hints", chromeWin, `"Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"`, Class{"Chrome", "124.0", "Windows", "10", "Desktop"}, NotBot},
	{"selenium marker", chromeWin + " Selenium", "", Class{"", "", "", "", ""}, BotHeadless},
	{"powershell", "Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.19041.3031", "", Class{"", "", "", "", ""}, BotTool},
	{"absurd version", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/999999.0 Safari/537.36", "", Class{"Chrome", "", "Windows", "10", "Desktop"}, NotBot},
}
