/* COMPASS Dashboard: the Arabic words of plotly.js's chart toolbar and messages.
 *
 * plotly.js's own Arabic locale (assets/vendor/plotly-locale-ar.js, kept as npm
 * ships it) has month and day names but an empty dictionary: the toolbar stayed
 * English. This registers the dictionary under the same name. plotly.js's
 * registerLocale (src/registry.js) keeps what a registration leaves out: a locale
 * without `format` keeps the npm file's, and the npm file's empty dictionary
 * leaves this one in place, whichever of the two registers first.
 * The keys are the English strings plotly.js translates, the same as in
 * assets/vendor/plotly-locale-fr.js (tests/web/test_plotly_arabic.py checks that
 * every one is here). Loaded right after plotly.js, as the npm locales are
 * (assets/plotly_lazy.js; web/frontend.py PLOTLY_LOCALES names it).
 */
(function () {
  "use strict";
  var locale = {
    moduleType: "locale",
    name: "ar",
    dictionary: {
      "Autoscale": "ضبط المقياس تلقائيًا",
      "Box Select": "التحديد بمستطيل",
      "Click to enter Colorscale title": "انقر لإدخال عنوان مقياس الألوان",
      "Click to enter Component A title": "انقر لإدخال عنوان المكوّن A",
      "Click to enter Component B title": "انقر لإدخال عنوان المكوّن B",
      "Click to enter Component C title": "انقر لإدخال عنوان المكوّن C",
      "Click to enter Plot title": "انقر لإدخال عنوان الرسم البياني",
      "Click to enter Plot subtitle": "انقر لإدخال العنوان الفرعي للرسم البياني",
      "Click to enter X axis title": "انقر لإدخال عنوان المحور الأفقي",
      "Click to enter Y axis title": "انقر لإدخال عنوان المحور الرأسي",
      "Click to enter radial axis title": "انقر لإدخال عنوان المحور الشعاعي",
      "Compare data on hover": "مقارنة البيانات عند التمرير",
      "Double-click on legend to isolate one trace": "انقر نقرًا مزدوجًا على وسيلة الإيضاح لعزل سلسلة واحدة",
      "Double-click to zoom back out": "انقر نقرًا مزدوجًا للعودة إلى العرض الكامل",
      "Download plot as a PNG": "تنزيل الرسم البياني بصيغة PNG",
      "Download plot": "تنزيل الرسم البياني",
      "Edit in Chart Studio": "التحرير في Chart Studio",
      "IE only supports svg.  Changing format to svg.": "لا يدعم Internet Explorer إلا صيغة SVG، فستُستخدم صيغة SVG.",
      "Lasso Select": "التحديد الحر",
      "Orbital rotation": "الدوران المداري",
      "Pan": "تحريك",
      "Produced with Plotly.js": "أُنتج باستخدام Plotly.js",
      "Reset": "إعادة الضبط",
      "Reset axes": "إعادة ضبط المحاور",

      "Reset camera to default": "إعادة الكاميرا إلى وضعها الافتراضي",
      "Reset camera to last save": "إعادة الكاميرا إلى آخر وضع محفوظ",
      "Reset view": "إعادة ضبط العرض",
      "Reset views": "إعادة ضبط طرق العرض",
      "Show closest data on hover": "إظهار أقرب البيانات عند التمرير",
      "Image download succeeded": "نُزّلت الصورة بنجاح",
      "Sorry, there was a problem downloading your image!": "عذرًا، حدثت مشكلة أثناء تنزيل الصورة!",
      "Preparing image - this may take a few seconds": "جارٍ إعداد الصورة، وقد يستغرق ذلك بضع ثوانٍ",
      "Zoom": "تكبير منطقة",
      "Zoom in": "تكبير",
      "Zoom out": "تصغير",
      "close:": "الإغلاق:",
      "trace": "سلسلة",
      "lat:": "خط العرض:",
      "lon:": "خط الطول:",
      "q1:": "الربيع الأول:",
      "q3:": "الربيع الثالث:",
      "source:": "المصدر:",
      "target:": "الهدف:",
      "lower fence:": "الحد الأدنى للسياج:",
      "upper fence:": "الحد الأعلى للسياج:",
      "max:": "القيمة القصوى:",
      "mean ± σ:": "المتوسط ± σ:",
      "mean:": "المتوسط:",
      "median:": "الوسيط:",
      "min:": "القيمة الدنيا:",
      "new text": "نص جديد",
      "Turntable rotation": "الدوران الأفقي",
      "Toggle Spike Lines": "إظهار خطوط الإسقاط أو إخفاؤها",
      "open:": "الافتتاح:",
      "high:": "الأعلى:",
      "low:": "الأدنى:",
      "Toggle show closest data on hover": "تبديل إظهار أقرب البيانات عند التمرير",
      "incoming flow count:": "عدد التدفقات الواردة:",
      "outgoing flow count:": "عدد التدفقات الصادرة:",
      "kde:": "تقدير الكثافة:",
    },
  };
  var plotly = window.Plotly;
  if (plotly && typeof plotly.register === "function") {
    plotly.register(locale);
  } else {
    // Before plotly.js: it registers what it finds here when it loads.
    window.PlotlyLocales = window.PlotlyLocales || [];
    window.PlotlyLocales.push(locale);
  }
})();
