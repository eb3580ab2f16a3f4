/** Renders results as text or JSON. Renders; never decides. */
package io.corsdoctor.report;
